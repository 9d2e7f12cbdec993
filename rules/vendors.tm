# vendors.tm - trustmap's vendor registry: who makes what we find on networks.
#
# One "vendor ID" record per maker (ids: lower case, digits, '-').  Fields
# (docs/vendors.md has the details):
#   name      display name (also matched as a phrase, like an alias)
#   country   ISO 3166-1 alpha-2 of the headquarters
#   kind      equipment | component | software | service   (default equipment)
#   alias     a name as it appears in banners, OUI registrations, certificates,
#             inventories (Chinese names too); matched as whole words (each
#             non-ASCII character is a word), case-insensitively; the longest wins
#   oui-name  an exact organisation string, or a common word that names the
#             maker only on its own (AXIS, Honor): matches only the whole text
#   not       a phrase that is NOT this vendor although it contains one of its
#             aliases (look-alikes: "Dahua Scale", "Juniper Systems"); it hides
#             the shorter alias inside it
#   cpe       the vendor part of CPE names (cpe:/h:hikvision:...)
#   pen       an IANA private enterprise number the vendor's agents answer under
#   parent    ID [from YYYY-MM-DD] [until YYYY-MM-DD]: who owned it when
#             (from inclusive, until exclusive); repeat for successive owners
#   note      free text (sources, doubts)
#
# Organisation spellings come from the IEEE registries (ieee-data) and
# Wireshark's manuf; enterprise numbers from IANA's list (enterprises.tsv);
# CPE vendor names from nmap-service-probes and NVD.  Dates marked
# "approximate" are known to the month or season only.

# ---------------------------------------------------------------------------
# Makers on the FCC Covered List and their families

vendor huawei
    name      Huawei Technologies Co., Ltd.
    country   CN
    alias     Huawei
    alias     Huawei Technologies
    alias     Huawei Technology
    alias     Huawei Device
    alias     Quidway
    alias     SmartAX
    alias     EchoLife
    alias     华为
    alias     华为技术
    cpe       huawei
    pen       2011

vendor hisilicon
    name      HiSilicon Technologies Co., Ltd.
    country   CN
    kind      component
    alias     HiSilicon
    alias     海思
    cpe       hisilicon
    parent    huawei

vendor honor
    name      Honor Device Co., Ltd.
    country   CN
    alias     Honor Device
    alias     荣耀终端
    oui-name  Honor
    oui-name  荣耀
    cpe       honor
    parent    huawei until 2020-11-17
    note      sold by Huawei to a Shenzhen consortium, announced 2020-11-17.  As an English word, "Honor" names the maker only as the whole text (an inventory field), never inside other text.

vendor huawei-symantec
    name      Huawei Symantec Technologies Co., Ltd.
    country   CN
    alias     Huawei Symantec
    alias     Huawei Digital Technologies
    pen       34774
    parent    huawei
    note      joint venture with Symantec (Huawei 51%), wholly Huawei's from 2012 as Huawei Digital Technologies (Chengdu)

vendor hmn
    name      HMN Technologies Co., Limited
    country   CN
    alias     HMN Technologies
    alias     HMN Tech
    alias     Huawei Marine
    alias     Huawei Marine Networks
    parent    huawei until 2019-11-01
    parent    hengtong from 2019-11-01
    note      Huawei Marine Networks, a joint venture with Global Marine; Huawei's 51% went to Hengtong Optic-Electric in 2019 (date approximate)

vendor hengtong
    name      Jiangsu Hengtong Optic-Electric Co., Ltd.
    country   CN
    alias     Hengtong Optic-Electric
    note      other companies are called "Hengtong" too (Shenzhen DOOGEE Hengtong, FuJian HengTong Information)

vendor xfusion
    name      xFusion Digital Technologies Co., Ltd.
    country   CN
    alias     xFusion
    pen       58132
    parent    huawei until 2021-11-01
    note      Huawei's x86 server business, sold to a Henan state-backed group in 2021 (date approximate)

vendor zte
    name      ZTE Corporation
    country   CN
    alias     ZTE
    alias     Zhongxing Telecom
    alias     ZXR10
    alias     ZXHN
    alias     ZXV10
    alias     ZXA10
    alias     中兴
    alias     中兴通讯
    cpe       zte
    pen       3902
    note      not every "Zhongxing" is ZTE (Wuxi Zhongxing Optoelectronics, Hangzhou Zhongxinghui)

vendor hikvision
    name      Hangzhou Hikvision Digital Technology Co., Ltd.
    country   CN
    alias     Hikvision
    alias     HiWatch
    alias     HIKMICRO
    alias     海康威视
    alias     海康
    cpe       hikvision
    pen       39165

vendor ezviz
    name      Hangzhou EZVIZ Network Co., Ltd.
    country   CN
    alias     EZVIZ
    alias     萤石
    cpe       ezviz
    parent    hikvision
    note      Hikvision's consumer camera brand and subsidiary

vendor hikrobot
    name      Hangzhou Hikrobot Co., Ltd.
    country   CN
    alias     Hikrobot
    parent    hikvision

vendor dahua
    name      Zhejiang Dahua Technology Co., Ltd.
    country   CN
    alias     Dahua
    alias     Dahua Technology
    alias     Imou
    alias     大华
    alias     大华技术
    not       大华银行
    not       Dahua Scale
    cpe       dahua
    cpe       dahuasecurity
    pen       37496

vendor lorex
    name      Lorex Technology Inc.
    country   CA
    alias     Lorex
    parent    dahua from 2018-12-01 until 2023-10-01
    note      bought from FLIR in 2018, sold to SkyWatch in 2023 (months approximate)

vendor hytera
    name      Hytera Communications Corporation Limited
    country   CN
    alias     Hytera
    alias     海能达
    cpe       hytera
    pen       40297
    pen       46055
    pen       58597

vendor sepura
    name      Sepura Limited
    country   GB
    alias     Sepura
    pen       46904
    parent    hytera from 2017-06-01
    note      bought by Hytera in 2017 (month approximate); the UK ordered a divestment in 2023: add "until" when its date is certain

vendor norsat
    name      Norsat International Inc.
    country   CA
    alias     Norsat
    pen       40560
    parent    hytera from 2017-08-01
    note      bought by Hytera in 2017 (month approximate)

vendor teltronic
    name      Teltronic S.A.U.
    country   ES
    alias     Teltronic
    not       Teltronic AG
    pen       22488
    parent    hytera from 2014-01-01
    note      bought by Hytera in 2014 (date approximate).  Teltronics, Inc. (US) and Teltronic AG are other companies.

# ---------------------------------------------------------------------------
# Other makers headquartered in China

vendor h3c
    name      New H3C Technologies Co., Ltd.
    country   CN
    alias     H3C
    alias     New H3C
    alias     Hangzhou H3C
    alias     Huawei-3Com
    alias     Comware
    alias     新华三
    alias     华三
    cpe       h3c
    pen       25506
    pen       61878
    parent    huawei from 2003-11-17 until 2006-11-28
    parent    3com from 2006-11-28 until 2010-04-12
    parent    hp from 2010-04-12 until 2015-11-01
    parent    hpe from 2015-11-01 until 2016-05-01
    parent    unisplendour from 2016-05-01
    note      Huawei-3Com joint venture (3Com took 51% in 2006 and bought Huawei out, agreed 2006-11-28); 3Com was bought by HP; 51% sold by HPE to Unisplendour in 2016 (New H3C)

vendor 3com
    name      3Com Corporation
    country   US
    alias     3Com
    cpe       3com
    pen       43
    parent    hp from 2010-04-12

vendor unisplendour
    name      Unisplendour Corporation Limited
    country   CN
    alias     Unisplendour
    alias     Tsinghua Unisplendour
    alias     紫光股份

vendor uniview
    name      Zhejiang Uniview Technologies Co., Ltd.
    country   CN
    alias     Uniview
    alias     UNV
    alias     宇视
    cpe       uniview
    pen       39747
    pen       54999

vendor tiandy
    name      Tiandy Technologies Co., Ltd.
    country   CN
    alias     Tiandy
    alias     天地伟业
    cpe       tiandy
    pen       60913

vendor fiberhome
    name      FiberHome Telecommunication Technologies Co., Ltd.
    country   CN
    alias     FiberHome
    alias     烽火通信
    alias     烽火科技
    cpe       fiberhome
    pen       11408
    pen       22508
    pen       48155

vendor ruijie
    name      Ruijie Networks Co., Ltd.
    country   CN
    alias     Ruijie
    alias     Reyee
    alias     锐捷
    cpe       ruijie
    cpe       ruijienetworks
    pen       4881

vendor tp-link
    name      TP-Link Technologies Co., Ltd.
    country   CN
    alias     TP-Link
    alias     TPLINK
    alias     Omada
    alias     普联技术
    cpe       tp-link
    pen       11863
    note      TP-Link Corporation (Singapore) and TP-Link Systems (US) were split from the Shenzhen company in 2022-2024; kept as one family here

vendor mercusys
    name      Mercusys Technologies Co., Ltd.
    country   CN
    alias     Mercusys
    cpe       mercusys
    parent    tp-link

vendor xiaomi
    name      Xiaomi Corporation
    country   CN
    alias     Xiaomi
    alias     Redmi
    alias     小米
    cpe       xiaomi
    cpe       mi

vendor inspur
    name      Inspur Group Co., Ltd.
    country   CN
    alias     Inspur
    alias     浪潮
    alias     IEIT Systems
    cpe       inspur
    pen       37945
    pen       48512
    pen       48797
    pen       58059
    pen       60775
    pen       61847
    note      48797 is Inspur-Cisco Networking Technology, Inspur's joint venture with Cisco.  Inspur Electronic Information Industry is named IEIT Systems since 2023.

vendor lenovo
    name      Lenovo Group Limited
    country   CN
    alias     Lenovo
    alias     LenovoEMC
    alias     联想
    cpe       lenovo
    pen       19046
    pen       11369

vendor tenda
    name      Shenzhen Tenda Technology Co., Ltd.
    country   CN
    alias     Tenda
    alias     腾达
    cpe       tenda
    pen       59646

vendor quectel
    name      Quectel Wireless Solutions Co., Ltd.
    country   CN
    kind      component
    alias     Quectel
    alias     移远通信
    cpe       quectel
    pen       58809

vendor fibocom
    name      Fibocom Wireless Inc.
    country   CN
    kind      component
    alias     Fibocom
    alias     广和通

vendor yealink
    name      Xiamen Yealink Network Technology Co., Ltd.
    country   CN
    alias     Yealink
    alias     亿联
    cpe       yealink
    pen       37459

vendor china-huaxin
    name      China Huaxin Post and Telecommunication Technologies Co., Ltd.
    country   CN
    alias     China Huaxin

vendor ninestar
    name      Ninestar Corporation
    country   CN
    alias     Ninestar

vendor china-mobile-device
    name      China Mobile Group Device Co., Ltd.
    country   CN
    alias     China Mobile Group Device
    alias     China Mobile IoT
    alias     China Mobile (Hangzhou) Information Technology
    pen       56278
    parent    china-mobile
    note      makes China Mobile's home gateways, ONTs and IoT modules

# ---------------------------------------------------------------------------
# Network equipment

vendor cisco
    name      Cisco Systems, Inc.
    country   US
    alias     Cisco
    alias     Cisco Systems
    alias     Meraki
    cpe       cisco
    pen       9
    pen       5771
    pen       5842
    pen       29671

vendor linksys
    name      Linksys
    country   US
    alias     Linksys
    alias     Cisco-Linksys
    alias     The Linksys Group
    not       Linksys Telecom
    cpe       linksys
    pen       3955
    parent    cisco from 2003-03-20 until 2013-03-15
    parent    belkin from 2013-03-15

vendor belkin
    name      Belkin International, Inc.
    country   US
    alias     Belkin
    cpe       belkin
    parent    foxconn from 2018-09-26
    note      bought by Foxconn Interconnect Technology in 2018 (date approximate)

vendor juniper
    name      Juniper Networks, Inc.
    country   US
    alias     Juniper
    alias     Juniper Networks
    alias     JUNOS
    not       Juniper Systems
    not       Juniper Financial
    cpe       juniper
    pen       2636
    pen       1411
    pen       4874

vendor nokia
    name      Nokia Corporation
    country   FI
    alias     Nokia
    alias     Nokia Solutions and Networks
    alias     Nokia Siemens Networks
    alias     Nokia Shanghai Bell
    cpe       nokia
    pen       94
    pen       28458
    pen       34326

vendor alcatel-lucent
    name      Alcatel-Lucent
    country   FR
    alias     Alcatel
    alias     Alcatel-Lucent
    alias     Lucent Technologies
    alias     TiMOS
    not       Lucent Trans
    cpe       alcatel-lucent
    cpe       alcatel
    pen       637
    pen       3729
    pen       6527
    pen       7483
    pen       1751
    parent    nokia from 2016-01-14
    note      Nokia's enterprise numbers "formerly Alcatel-Lucent" stay here: the products answering under them are Alcatel-Lucent's lines

vendor alcatel-lucent-enterprise
    name      Alcatel-Lucent Enterprise
    country   FR
    alias     Alcatel-Lucent Enterprise
    alias     Alcatel-Lucent OmniSwitch
    alias     OmniSwitch
    alias     ALE International
    oui-name  ALE
    pen       6486
    pen       800
    parent    alcatel-lucent until 2014-10-01
    parent    china-huaxin from 2014-10-01
    note      the enterprise business (OmniSwitch, from Xylan, PEN 800) sold to China Huaxin in 2014
    note      its short name "ale" (used by some rule files) finds it too, as a whole name only

vendor ericsson
    name      Telefonaktiebolaget LM Ericsson
    country   SE
    alias     Ericsson
    cpe       ericsson
    pen       193
    pen       504
    pen       2352

vendor samsung
    name      Samsung Electronics Co., Ltd.
    country   KR
    alias     Samsung
    alias     Samsung Electronics
    cpe       samsung
    pen       236
    pen       39056

vendor arista
    name      Arista Networks, Inc.
    country   US
    alias     Arista Networks
    alias     Arista Network
    alias     Arista EOS
    cpe       arista
    pen       30065
    note      other companies are called "Arista" too (Arista Corp, Arista Systems)

vendor mikrotik
    name      MikroTik (Mikrotikls SIA)
    country   LV
    alias     MikroTik
    alias     Mikrotikls
    alias     RouterOS
    alias     RouterBOARD
    cpe       mikrotik
    pen       14988

vendor ubiquiti
    name      Ubiquiti Inc.
    country   US
    alias     Ubiquiti
    alias     Ubiquiti Networks
    alias     UBNT
    alias     UniFi
    alias     AirOS
    alias     EdgeOS
    cpe       ubiquiti
    cpe       ubnt
    cpe       ui
    pen       41112

vendor fortinet
    name      Fortinet, Inc.
    country   US
    alias     Fortinet
    alias     FortiGate
    alias     FortiOS
    alias     FortiSwitch
    alias     FortiAP
    cpe       fortinet
    pen       12356

vendor hp
    name      HP Inc.
    country   US
    alias     HP
    alias     Hewlett-Packard
    alias     Hewlett-Packard Company
    not       HP Tuners
    cpe       hp
    pen       11
    note      the Hewlett-Packard Company before its 2015 split (HP Inc. is its legal successor).  Enterprise number 11 also answers on ProCurve/Aruba switches: their family is HP before 2015-11-01.

vendor hpe
    name      Hewlett Packard Enterprise
    country   US
    alias     HPE
    alias     ProCurve
    alias     ProCurve Networking
    cpe       hpe
    pen       47196
    pen       232
    parent    hp until 2015-11-01

vendor aruba
    name      Aruba Networks
    country   US
    alias     Aruba Networks
    alias     ArubaOS
    oui-name  Aruba, a Hewlett Packard Enterprise Company
    cpe       arubanetworks
    pen       14823
    parent    hp from 2015-05-19 until 2015-11-01
    parent    hpe from 2015-11-01
    note      other companies are called "Aruba" too (Aruba S.p.A. hosting)

vendor dell
    name      Dell Technologies Inc.
    country   US
    alias     Dell
    alias     Dell Inc
    alias     Dell EMC
    alias     PowerEdge
    alias     iDRAC
    cpe       dell
    pen       674
    note      apostrophes join words: "Dell'Orto" and "dell'Idea" are one word each 

vendor emc
    name      EMC Corporation
    country   US
    alias     EMC Corporation
    pen       1139
    parent    dell from 2016-09-07

vendor netgear
    name      NETGEAR, Inc.
    country   US
    alias     NETGEAR
    cpe       netgear
    pen       4526

vendor d-link
    name      D-Link Corporation
    country   TW
    alias     D-Link
    alias     DLink
    alias     D-Link Systems
    cpe       dlink
    cpe       d-link
    pen       171

vendor zyxel
    name      Zyxel Communications Corp.
    country   TW
    alias     Zyxel
    alias     ZyNOS
    cpe       zyxel
    pen       890

vendor paloalto
    name      Palo Alto Networks, Inc.
    country   US
    alias     Palo Alto Networks
    alias     PAN-OS
    cpe       paloaltonetworks
    pen       25461

vendor checkpoint
    name      Check Point Software Technologies Ltd.
    country   IL
    alias     Check Point
    alias     Check Point Software
    not       Checkpoint Systems
    cpe       checkpoint
    pen       2620
    note      Checkpoint Systems, Inc. (retail security tags) is another company

vendor sophos
    name      Sophos Ltd
    country   GB
    alias     Sophos
    cpe       sophos
    pen       2604

vendor sonicwall
    name      SonicWall Inc.
    country   US
    alias     SonicWall
    alias     SonicOS
    cpe       sonicwall
    pen       8741
    parent    dell from 2012-05-09 until 2016-11-02

vendor extreme
    name      Extreme Networks, Inc.
    country   US
    alias     Extreme Networks
    alias     ExtremeXOS
    cpe       extremenetworks
    pen       1916
    pen       6307
    note      many names hold "Extreme" (ExtremeSpeed, Extreme Engineering Solutions, Extreme Copper)

vendor ruckus
    name      Ruckus Networks
    country   US
    alias     Ruckus
    alias     Ruckus Wireless
    cpe       ruckus
    cpe       ruckuswireless
    pen       25053
    parent    brocade from 2016-05-27 until 2017-12-01
    parent    arris from 2017-12-01

vendor brocade
    name      Brocade Communications Systems LLC
    country   US
    alias     Brocade
    alias     Foundry Networks
    cpe       brocade
    pen       1588
    pen       1991
    pen       289
    parent    broadcom from 2017-11-17

vendor arris
    name      ARRIS International
    country   US
    alias     ARRIS
    alias     ARRIS Group
    cpe       arris
    pen       4115
    parent    commscope from 2019-04-04

vendor commscope
    name      CommScope Holding Company, Inc.
    country   US
    alias     CommScope
    cpe       commscope
    pen       23330
    pen       57050
    pen       61768

vendor cambium
    name      Cambium Networks
    country   US
    alias     Cambium
    alias     Cambium Networks
    cpe       cambiumnetworks
    pen       17713

vendor ciena
    name      Ciena Corporation
    country   US
    alias     Ciena
    cpe       ciena
    pen       6141
    pen       1271
    pen       5672
    pen       6352
    pen       6782

vendor adtran
    name      ADTRAN, Inc.
    country   US
    alias     ADTRAN
    cpe       adtran
    pen       664

vendor calix
    name      Calix, Inc.
    country   US
    alias     Calix
    cpe       calix
    pen       6321

vendor allied-telesis
    name      Allied Telesis Holdings K.K.
    country   JP
    alias     Allied Telesis
    alias     Allied Telesyn
    oui-name  Allied-telesisK.K.
    cpe       alliedtelesyn
    cpe       alliedtelesis
    pen       207

vendor draytek
    name      DrayTek Corporation
    country   TW
    alias     DrayTek
    cpe       draytek
    pen       7367

vendor teltonika
    name      Teltonika
    country   LT
    alias     Teltonika
    cpe       teltonika
    pen       48690

vendor edgecore
    name      Edgecore Networks Corporation
    country   TW
    alias     Edgecore
    alias     Edge-Core
    cpe       edgecore
    pen       52587
    parent    accton

vendor accton
    name      Accton Technology Corporation
    country   TW
    alias     Accton
    cpe       accton
    pen       259

vendor moxa
    name      Moxa Inc.
    country   TW
    alias     Moxa
    cpe       moxa
    pen       8691

vendor siemens
    name      Siemens AG
    country   DE
    alias     Siemens
    cpe       siemens
    pen       4329
    pen       6075
    pen       4196

vendor schneider
    name      Schneider Electric SE
    country   FR
    alias     Schneider Electric
    cpe       schneider_electric
    cpe       schneider-electric
    pen       3833
    note      other companies are called "Schneider" too (Uwe Schneider GmbH, Schneider National)

vendor f5
    name      F5, Inc.
    country   US
    alias     F5 Networks
    alias     BIG-IP
    cpe       f5
    pen       3375
    pen       12276

vendor citrix
    name      Citrix Systems, Inc.
    country   US
    alias     Citrix
    alias     NetScaler
    cpe       citrix
    pen       3845

vendor lancom
    name      LANCOM Systems GmbH
    country   DE
    alias     LANCOM
    alias     LANCOM Systems
    not       Lancom Platform
    cpe       lancom
    pen       2356
    note      owned by Rohde & Schwarz since 2018.  Beijing L&S Lancom Platform Tech. is another company.

vendor avm
    name      AVM GmbH
    country   DE
    alias     AVM
    alias     AVM Berlin
    alias     FRITZ!Box
    oui-name  AVM Audiovisuelles Marketing und Computersysteme GmbH
    not       AVM Informatique
    not       AVM Electronics
    cpe       avm
    pen       872

vendor xiongmai
    name      Hangzhou Xiongmai Technology Co., Ltd.
    country   CN
    alias     Xiongmai
    alias     雄迈
    note      maker of camera and DVR boards sold under many brands

# ---------------------------------------------------------------------------
# Cameras, radios, phones, storage

vendor axis
    name      Axis Communications AB
    country   SE
    alias     Axis Communications
    oui-name  AXIS
    cpe       axis
    pen       368
    parent    canon from 2015-04-01
    note      many companies are called "Axis" (Ace Axis, Axis-Shield, Axis Electronics).  Canon's tender offer completed in 2015 (month approximate).

vendor hanwha
    name      Hanwha Vision Co., Ltd.
    country   KR
    alias     Hanwha Vision
    alias     Hanwha Techwin
    alias     Samsung Techwin
    alias     Wisenet
    pen       36849
    parent    samsung until 2015-06-29
    note      Samsung Techwin, renamed Hanwha Techwin after its sale to Hanwha in 2015, Hanwha Vision since 2023

vendor bosch
    name      Robert Bosch GmbH
    country   DE
    alias     Bosch
    alias     Robert Bosch
    cpe       bosch
    pen       5318
    pen       3967

vendor sony
    name      Sony Group Corporation
    country   JP
    alias     Sony
    cpe       sony
    pen       122

vendor panasonic
    name      Panasonic Holdings Corporation
    country   JP
    alias     Panasonic
    cpe       panasonic
    pen       396

vendor mobotix
    name      MOBOTIX AG
    country   DE
    alias     Mobotix
    cpe       mobotix
    pen       21701

vendor motorola-solutions
    name      Motorola Solutions, Inc.
    country   US
    alias     Motorola
    alias     Motorola Solutions
    cpe       motorola
    cpe       motorolasolutions
    pen       161
    note      the legal successor of Motorola, Inc.; the phone business is motorola-mobility

vendor motorola-mobility
    name      Motorola Mobility LLC
    country   US
    alias     Motorola Mobility
    oui-name  Motorola (Wuhan) Mobility Technologies Communication Co., Ltd.
    parent    motorola-solutions until 2011-01-04
    parent    google from 2012-05-22 until 2014-10-30
    parent    lenovo from 2014-10-30

vendor avigilon
    name      Avigilon Corporation
    country   CA
    alias     Avigilon
    cpe       avigilon
    pen       46202
    parent    motorola-solutions from 2018-03-28

vendor polycom
    name      Polycom, Inc.
    country   US
    alias     Polycom
    cpe       polycom
    pen       13885
    parent    plantronics from 2018-07-02

vendor plantronics
    name      Plantronics, Inc.
    country   US
    alias     Plantronics
    cpe       plantronics
    parent    hp from 2022-08-29
    note      named "Poly" since 2019, which is not an alias (Poly-Scientific, polymer makers)

vendor avaya
    name      Avaya Inc.
    country   US
    alias     Avaya
    cpe       avaya
    pen       6889
    pen       14870

vendor grandstream
    name      Grandstream Networks, Inc.
    country   US
    alias     Grandstream
    cpe       grandstream
    pen       42397

vendor netapp
    name      NetApp, Inc.
    country   US
    alias     NetApp
    alias     Network Appliance
    alias     ONTAP
    cpe       netapp
    pen       789

vendor sonos
    name      Sonos, Inc.
    country   US
    alias     Sonos
    not       Sonos Co
    cpe       sonos
    pen       44974
    note      SONOS Co., Ltd. is another company

vendor raspberry-pi
    name      Raspberry Pi Ltd
    country   GB
    alias     Raspberry Pi
    alias     Raspberry Pi Trading
    cpe       raspberrypi
    pen       57253

vendor synology
    name      Synology Inc.
    country   TW
    alias     Synology
    cpe       synology
    pen       6574

vendor qnap
    name      QNAP Systems, Inc.
    country   TW
    alias     QNAP
    cpe       qnap
    pen       24681
    pen       55062

# ---------------------------------------------------------------------------
# Computers, phones, printers

vendor apple
    name      Apple Inc.
    country   US
    alias     Apple
    alias     Apple Computer
    not       Apple Daily
    cpe       apple
    pen       63

vendor microsoft
    name      Microsoft Corporation
    country   US
    kind      software
    note      Windows, IIS and Exchange run on other makers' hardware: Microsoft names the software, not the device
    alias     Microsoft
    cpe       microsoft
    pen       311

vendor google
    name      Google LLC
    country   US
    alias     Google
    alias     Nest Labs
    cpe       google
    pen       11129
    pen       54494

vendor vmware
    name      VMware, Inc.
    country   US
    kind      software
    alias     VMware
    alias     ESXi
    cpe       vmware
    pen       6876
    parent    emc from 2004-01-09 until 2016-09-07
    parent    dell from 2016-09-07 until 2021-11-01
    parent    broadcom from 2023-11-22

vendor supermicro
    name      Super Micro Computer, Inc.
    country   US
    alias     Supermicro
    alias     Super Micro Computer
    cpe       supermicro
    pen       10876

vendor ibm
    name      International Business Machines Corporation
    country   US
    alias     IBM
    cpe       ibm
    pen       2

vendor asus
    name      ASUSTeK Computer Inc.
    country   TW
    alias     ASUS
    alias     ASUSTeK
    alias     Asustor
    cpe       asus
    pen       2623

vendor foxconn
    name      Hon Hai Precision Industry Co., Ltd.
    country   TW
    kind      component
    alias     Foxconn
    alias     Hon Hai
    alias     富士康
    alias     鸿海
    cpe       foxconn
    pen       17084
    pen       22238
    pen       47231
    note      contract maker: its MAC addresses are inside many brands' devices

vendor nec
    name      NEC Corporation
    country   JP
    alias     NEC
    alias     NEC Platforms
    cpe       nec
    pen       119
    pen       14399

vendor fujitsu
    name      Fujitsu Limited
    country   JP
    alias     Fujitsu
    alias     Fujitsu Siemens
    cpe       fujitsu
    pen       211
    pen       231

vendor brother
    name      Brother Industries, Ltd.
    country   JP
    alias     Brother Industries
    cpe       brother
    pen       2435
    note      a plain English word, "Brother" alone is not an alias

vendor canon
    name      Canon Inc.
    country   JP
    alias     Canon
    cpe       canon
    pen       1602

vendor epson
    name      Seiko Epson Corporation
    country   JP
    alias     Epson
    cpe       epson
    pen       1248

vendor xerox
    name      Xerox Holdings Corporation
    country   US
    alias     Xerox
    cpe       xerox
    pen       253

vendor lexmark
    name      Lexmark International, Inc.
    country   US
    alias     Lexmark
    cpe       lexmark
    pen       641
    parent    ninestar from 2016-11-29 until 2025-07-01
    parent    xerox from 2025-07-01
    note      bought by a consortium led by Apex Technology (now Ninestar) in 2016, by Xerox in 2025

vendor konica-minolta
    name      Konica Minolta, Inc.
    country   JP
    alias     Konica Minolta
    alias     Konica
    alias     Minolta
    cpe       konicaminolta
    pen       18334
    pen       50919
    pen       2364
    pen       9514

vendor ricoh
    name      Ricoh Company, Ltd.
    country   JP
    alias     Ricoh
    cpe       ricoh
    pen       367

vendor kyocera
    name      Kyocera Corporation
    country   JP
    alias     Kyocera
    cpe       kyocera
    pen       1347

# ---------------------------------------------------------------------------
# Component makers: their names on a device say who made a part, not the device

vendor intel
    name      Intel Corporation
    country   US
    kind      component
    alias     Intel
    cpe       intel
    pen       343

vendor realtek
    name      Realtek Semiconductor Corp.
    country   TW
    kind      component
    alias     Realtek
    cpe       realtek
    pen       27282

vendor broadcom
    name      Broadcom Inc.
    country   US
    kind      component
    alias     Broadcom
    alias     Avago Technologies
    cpe       broadcom
    pen       4413

vendor qualcomm
    name      Qualcomm Incorporated
    country   US
    kind      component
    alias     Qualcomm
    alias     Qualcomm Atheros
    cpe       qualcomm
    pen       1449

vendor atheros
    name      Atheros Communications, Inc.
    country   US
    kind      component
    alias     Atheros
    pen       9442
    parent    qualcomm from 2011-05-24

vendor mediatek
    name      MediaTek Inc.
    country   TW
    kind      component
    alias     MediaTek
    cpe       mediatek

vendor ralink
    name      Ralink Technology Corp.
    country   TW
    kind      component
    alias     Ralink
    parent    mediatek from 2011-10-01
    note      merged into MediaTek in 2011 (month approximate)

vendor marvell
    name      Marvell Technology, Inc.
    country   US
    kind      component
    alias     Marvell
    cpe       marvell
    pen       20495
    pen       26696

vendor espressif
    name      Espressif Systems (Shanghai) Co., Ltd.
    country   CN
    kind      component
    alias     Espressif
    alias     乐鑫
    cpe       espressif

# ---------------------------------------------------------------------------
# Software found on many makers' devices (an agent, a server, a kernel)

vendor net-snmp
    name      Net-SNMP project
    kind      software
    alias     Net-SNMP
    alias     UCD-SNMP
    cpe       net-snmp
    pen       8072
    pen       2021
    note      2021 is UC Davis, whose number the UCD-SNMP MIB (Net-SNMP's ancestor) uses

vendor openssh
    name      OpenSSH (OpenBSD project)
    kind      software
    alias     OpenSSH
    cpe       openbsd
    cpe       openssh
    pen       30155

vendor dropbear
    name      Dropbear SSH (Matt Johnston)
    kind      software
    alias     Dropbear
    cpe       matt_johnston
    cpe       dropbear_ssh_project

vendor linux
    name      Linux kernel
    kind      software
    alias     Linux
    not       SUSE Linux
    not       Strawberry Linux
    not       Linux Automation
    cpe       linux

vendor busybox
    name      BusyBox
    kind      software
    alias     BusyBox
    cpe       busybox

vendor lighttpd
    name      lighttpd
    kind      software
    cpe       lighttpd

vendor nginx
    name      nginx
    kind      software
    cpe       nginx
    cpe       igor_sysoev
    note      the open-source server found on devices, not F5's NGINX Plus: no parent

vendor apache
    name      The Apache Software Foundation
    kind      software
    alias     Apache
    not       Apache Micro
    cpe       apache

vendor goahead
    name      GoAhead (Embedthis Software)
    kind      software
    alias     GoAhead
    alias     GoAhead-Webs
    alias     Embedthis
    cpe       goahead
    cpe       embedthis

vendor boa
    name      Boa web server
    kind      software
    alias     Boa
    cpe       boa

vendor allegro
    name      Allegro Software Development Corporation
    country   US
    kind      software
    alias     Allegro Software
    alias     RomPager
    cpe       allegro
    cpe       allegrosoft
    note      other companies are called "Allegro" too (Allegro Networks, Allegro MicroSystems)

vendor kaspersky
    name      Kaspersky Lab
    country   RU
    kind      software
    alias     Kaspersky
    cpe       kaspersky
    pen       23668

# ---------------------------------------------------------------------------
# Carriers whose services are on the FCC Covered List, and their parents

vendor china-mobile
    name      China Mobile Communications Group Co., Ltd.
    country   CN
    kind      service
    alias     China Mobile
    alias     中国移动
    pen       45064
    pen       58942

vendor china-mobile-usa
    name      China Mobile International (USA) Inc.
    country   US
    kind      service
    alias     China Mobile International USA
    parent    china-mobile

vendor china-telecom
    name      China Telecom Corporation Limited
    country   CN
    kind      service
    alias     China Telecom
    alias     中国电信
    pen       49625
    pen       55228
    pen       20236
    pen       20942

vendor china-telecom-americas
    name      China Telecom (Americas) Corporation
    country   US
    kind      service
    alias     China Telecom Americas
    parent    china-telecom

vendor china-unicom
    name      China United Network Communications Group Co., Ltd.
    country   CN
    kind      service
    alias     China Unicom
    alias     中国联通

vendor china-unicom-americas
    name      China Unicom (Americas) Operations Limited
    country   US
    kind      service
    alias     China Unicom Americas
    parent    china-unicom

vendor pacific-networks
    name      Pacific Networks Corp.
    country   US
    kind      service
    alias     Pacific Networks Corp
    note      a US subsidiary of CITIC Telecom International (Hong Kong)

vendor comnet
    name      ComNet (USA) LLC
    country   US
    kind      service
    alias     ComNet USA
    parent    pacific-networks

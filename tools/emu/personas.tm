# personas.tm - the devices trustmap-emu plays, one record each (stanza format,
# src/kb/stanza.h; fields in docs/emulator.md).  Strings are written from
# public knowledge of what these devices send by default (product
# documentation, published scans, vendors' own manuals); serials and host
# names are made up.  `vendor` is the maker's id in rules/vendors.tm, or none
# when the device names only software (plain Linux and Windows hosts) or
# when a hostile persona names nobody.  Ports are the real device's ports;
# trustmap-emu adds --port-offset.

# --- Huawei ---------------------------------------------------------------------

persona huawei-vrp-router
    vendor       huawei
    ports        22 23 161 443 830
    ssh          "SSH-2.0-HUAWEI-1.5\r\n"
    telnet       "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:"
    http_title   Huawei AR Web Platform
    tls_subject  /C=CN/O=Huawei/CN=AR2220E
    snmp_descr   "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.160 (AR2200 V200R010C10SPC700)\r\nCopyright (C) 2011-2020 HUAWEI TECH CO., LTD\r\nHuawei AR2220E Router"
    snmp_oid     1.3.6.1.4.1.2011.2.224.279
    snmp_name    AR2220E-Edge1

persona huawei-vrp-switch
    vendor       huawei
    ports        22 23 161
    ssh          "SSH-2.0-HUAWEI-1.5\r\n"
    telnet       "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f\r\n\r\nWarning: Telnet is not a secure protocol, and it is recommended to use Stelnet.\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:"
    snmp_descr   "S5735-L24T4X-A1\r\nHuawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (S5735 V200R019C10SPC500)\r\nCopyright (C) 2000-2020 HUAWEI TECH CO., LTD"
    snmp_oid     1.3.6.1.4.1.2011.2.23.617
    snmp_name    HUAWEI

persona huawei-ne40e
    vendor       huawei
    ports        22 161 830
    ssh          "SSH-2.0-HUAWEI-1.5\r\n"
    snmp_descr   "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (NE40E V800R011C10SPC100)\r\nCopyright (C) 2012-2019 Huawei Technologies Co., Ltd.\r\nHUAWEI NE40E-X8A\r\n"
    snmp_oid     1.3.6.1.4.1.2011.2.62.2.9
    snmp_name    PE1-NE40E

persona huawei-ont
    vendor       huawei
    ports        23 80 1900
    telnet       "\xff\xfb\x01\xff\xfb\x03\r\nLogin:"
    http_body    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>HG8245H</title>\n<script language=\"javascript\" src=\"/resource/common/util.js\"></script></head>\n<body><div id=\"login\"><form name=\"loginform\" action=\"/login.cgi\" method=\"post\"><input type=\"text\" id=\"txt_Username\" name=\"UserName\"><input type=\"password\" id=\"txt_Password\" name=\"PassWord\"></form></div>\n<div id=\"footer\">Copyright &copy; Huawei Technologies Co., Ltd. 2009-2016. All rights reserved.</div></body></html>\n"
    ssdp_server  Linux/2.6.36, UPnP/1.0, Portable SDK for UPnP devices/1.6.18
    upnp_type    urn:schemas-upnp-org:device:InternetGatewayDevice:1
    upnp_name    HG8245H
    upnp_manufacturer Huawei Technologies Co., Ltd.
    upnp_url     http://www.huawei.com
    upnp_model   HG8245H
    upnp_number  V3R017C10S115

persona huawei-5g-bbu
    vendor       huawei
    ports        443 8443
    http_body    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Web LMT</title></head>\n<body><div class=\"login-box\"><h1>BBU5900 Web LMT</h1><form action=\"/lmt/login\" method=\"post\"><input name=\"username\"><input name=\"password\" type=\"password\"></form></div>\n<p class=\"copyright\">Copyright &copy; Huawei Technologies Co., Ltd. 2020. All rights reserved.</p></body></html>\n"
    tls_subject  /C=CN/O=Huawei/OU=Wireless Network Product Line/CN=BBU5900-gNB-0412
    tls_issuer   /C=CN/O=Huawei/CN=Huawei Wireless Access Product CA

persona huawei-lte-cpe
    vendor       huawei
    ports        80 1900
    http_body    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>HUAWEI 4G Router B535</title><script type=\"text/javascript\" src=\"/js/jquery-1.7.2.min.js\"></script></head>\n<body><div id=\"index_main\">HUAWEI</div></body></html>\n"
    ssdp_server  Linux/3.10 UPnP/1.0 miniupnpd/1.9
    upnp_type    urn:schemas-upnp-org:device:InternetGatewayDevice:1
    upnp_name    HUAWEI B535
    upnp_manufacturer Huawei Technologies Co., Ltd.
    upnp_url     http://www.huawei.com
    upnp_model   B535-232
    upnp_number  11.0.2.3

# --- ZTE ------------------------------------------------------------------------

persona zte-zxr10
    vendor       zte
    ports        22 23 161
    ssh          "SSH-2.0-ZTE_SSH.2.0\r\n"
    telnet       "\xff\xfb\x01\xff\xfb\x03\r\n************************************************\r\nWelcome to ZXR10 M6000-S Carrier-Class High-end Router of ZTE Corporation\r\n************************************************\r\n\r\nUsername:"
    snmp_descr   "ZXR10 ROS Version V5.00.10 ZXR10 M6000-8S Software, Version V2.00.30(5.50.1), RELEASE SOFTWARE Copyright (c) 2000-2018 by ZTE Corporation"
    snmp_oid     1.3.6.1.4.1.3902.3.100.1
    snmp_name    ZXR10

persona zte-ont
    vendor       zte
    ports        23 80 1900
    telnet       "\xff\xfb\x01\xff\xfb\x03F670L\r\nLogin: "
    http_server  Mini web server 1.0 ZTE corp 2005.
    http_body    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>F670L</title></head>\n<body><form name=\"fLogin\" method=\"post\" action=\"\"><input type=\"text\" id=\"Frm_Username\" name=\"Frm_Username\"><input type=\"password\" id=\"Frm_Password\" name=\"Frm_Password\"></form>\n<div class=\"copyright\">&copy;2008-2020 ZTE Corporation. All rights reserved.</div></body></html>\n"
    ssdp_server  Linux/2.6.30, UPnP/1.0, Portable SDK for UPnP devices/1.6.6
    upnp_type    urn:schemas-upnp-org:device:InternetGatewayDevice:1
    upnp_name    ZXHN F670L
    upnp_manufacturer ZTE
    upnp_url     http://www.zte.com.cn
    upnp_model   F670L
    upnp_number  V9.0

# --- H3C ------------------------------------------------------------------------

persona h3c-comware
    vendor       h3c
    ports        22 23 80 161
    ssh          "SSH-2.0-Comware-7.1.064\r\n"
    telnet       "\xff\xfb\x01\xff\xfb\x03\r\n******************************************************************************\r\n* Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.*\r\n* Without the owner's prior written consent,                                 *\r\n* no decompiling or reverse-engineering shall be allowed.                    *\r\n******************************************************************************\r\n\r\nLogin: "
    http_server  H3C-Miniware-Webs
    http_title   Web user login
    snmp_descr   "H3C Comware Platform Software, Software Version 7.1.070, Release 6328P03\r\nH3C S6520X-30QC-EI\r\nCopyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved."
    snmp_oid     1.3.6.1.4.1.25506.1.1833
    snmp_name    H3C

# --- Hikvision, Dahua, Hytera ---------------------------------------------------

persona hikvision-ipc
    vendor       hikvision
    ports        80 443 554 1900
    http_server  App-webs/
    http_body    "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n<title></title>\n<script>\nwindow.location.href = \"/doc/page/login.asp?_\" + (new Date()).getTime();\n</script>\n</head>\n<body>\n</body>\n</html>\n"
    tls_subject  /C=CN/ST=ZJ/L=HZ/O=Hikvision/OU=Hikvision/CN=192.168.1.64
    ssdp_server  Linux/3.0.8, UPnP/1.0, Portable SDK for UPnP devices/1.6.6
    upnp_type    urn:schemas-upnp-org:device:Basic:1
    upnp_name    DS-2CD2143G0-I - E12345678
    upnp_manufacturer Hikvision
    upnp_url     http://www.hikvision.com
    upnp_model   DS-2CD2143G0-I
    upnp_number  DS-2CD2143G0-I

persona hikvision-nvr
    vendor       hikvision
    ports        23 80 554 1900
    telnet       "\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03dvrdvs login: "
    http_server  DNVRS-Webs
    http_body    "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\" />\n<title></title>\n<script>\nwindow.location.href = \"/doc/page/login.asp?_\" + (new Date()).getTime();\n</script>\n</head>\n<body>\n</body>\n</html>\n"
    ssdp_server  Linux/3.0.8, UPnP/1.0, Portable SDK for UPnP devices/1.6.6
    upnp_type    urn:schemas-upnp-org:device:Basic:1
    upnp_name    DS-7608NI-K2 - D87654321
    upnp_manufacturer Hikvision
    upnp_url     http://www.hikvision.com
    upnp_model   DS-7608NI-K2
    upnp_number  DS-7608NI-K2

persona dahua-ipc
    vendor       dahua
    ports        80 554 37777
    http_body    "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n<title>WEB SERVICE</title>\n<script type=\"text/javascript\" src=\"/jsBase/lib/jquery.js\"></script>\n</head>\n<body>\n<div id=\"download_plugins\"></div>\n</body>\n</html>\n"
    rtsp_realm   Login to 5J0B5A3PAZ12345
    rtsp_server  Rtsp Server/3.0

persona dahua-nvr
    vendor       dahua
    ports        80 554 1900 37777
    http_body    "<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\">\n<title>WEB SERVICE</title>\n</head>\n<body>\n</body>\n</html>\n"
    rtsp_realm   Login to 6C04A8BPAZ54321
    rtsp_server  Rtsp Server/3.0
    ssdp_server  Linux/3.10, UPnP/1.0, Portable SDK for UPnP devices/1.6.19
    upnp_type    urn:schemas-upnp-org:device:Basic:1
    upnp_name    NVR4104HS-P-4KS2
    upnp_manufacturer Dahua
    upnp_url     http://www.dahuasecurity.com
    upnp_model   DHI-NVR4104HS-P-4KS2
    upnp_number  DHI-NVR4104HS-P-4KS2

persona hytera-dispatch
    vendor       hytera
    ports        80 443
    http_title   Hytera SmartDispatch
    tls_subject  /C=CN/ST=Guangdong/L=Shenzhen/O=Hytera Communications Corporation Limited/CN=SmartDispatch

# --- Cisco ----------------------------------------------------------------------

persona cisco-ios
    vendor       cisco
    ports        22 23 80 161
    ssh          "SSH-1.99-Cisco-1.25\r\n"
    telnet       "\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f\r\n\r\nUser Access Verification\r\n\r\nUsername: "
    http_status  401 Unauthorized
    http_server  cisco-IOS
    http_realm   level_15_access
    http_body    "<HTML><HEAD><TITLE>Authorization Required</TITLE></HEAD><BODY><H1>Authorization Required</H1>Browser not authentication-capable or authentication failed.</BODY></HTML>\n"
    snmp_descr   "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2017 by Cisco Systems, Inc.\r\nCompiled Sat 19-Aug-17 09:34 by prod_rel_team"
    snmp_oid     1.3.6.1.4.1.9.1.1208
    snmp_name    sw-access-01

persona cisco-iosxe
    vendor       cisco
    ports        22 80 443 161 830
    ssh          "SSH-2.0-Cisco-1.25\r\n"
    http_status  302 Found
    http_header  Location: https://localhost/webui/
    http_body    ""
    tls_subject  /CN=IOS-Self-Signed-Certificate-3825173612
    snmp_descr   "Cisco IOS Software [Amsterdam], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.3.4, RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport\r\nCopyright (c) 1986-2021 by Cisco Systems, Inc.\r\nCompiled Thu 09-Sep-21 10:54 by mcpre"
    snmp_oid     1.3.6.1.4.1.9.1.2494
    snmp_name    c9300-dist-01

persona cisco-nxos
    vendor       cisco
    ports        22 161 443
    ssh          "SSH-2.0-OpenSSH_8.3\r\n"
    http_server  nginx
    http_title   Nexus Sandbox
    tls_subject  /C=US/ST=CA/L=San Jose/O=Cisco Systems Inc./OU=dcnxos/CN=nxos
    snmp_descr   "Cisco NX-OS(tm) n9000, Software (n9000-dk9), Version 9.3(8), RELEASE SOFTWARE Copyright (c) 2002-2021 by Cisco Systems, Inc. Compiled 6/21/2021 10:00:00"
    snmp_oid     1.3.6.1.4.1.9.12.3.1.3.1812
    snmp_name    n9k-leaf-01

# --- other network makers -------------------------------------------------------

persona juniper-junos
    vendor       juniper
    ports        22 80 161 830
    ssh          "SSH-2.0-OpenSSH_7.5\r\n"
    http_server  Embedthis-http
    http_title   Log In - Juniper Web Device Manager
    snmp_descr   "Juniper Networks, Inc. mx480 internet router, kernel JUNOS 18.4R3-S7.2, Build date: 2021-01-19 02:13:48 UTC Copyright (c) 1996-2021 Juniper Networks, Inc."
    snmp_oid     1.3.6.1.4.1.2636.1.1.1.2.25
    snmp_name    mx480-core-1

persona nokia-sros
    vendor       nokia
    ports        22 23 161
    ssh          "SSH-2.0-OpenSSH_7.4\r\n"
    telnet       "\xff\xfb\x01\xff\xfb\x03\r\n\r\nLogin: "
    snmp_descr   "TiMOS-C-20.10.R5 cpm/hops64 Nokia 7750 SR Copyright (c) 2000-2021 Nokia.\r\nAll rights reserved. All use subject to applicable license agreements.\r\nBuilt on Thu Jul 8 12:46:53 PDT 2021 by builder in /builds/c/2010B/R5/panos/main/sros"
    snmp_oid     1.3.6.1.4.1.6527.1.3.17
    snmp_name    pe-7750-02

persona ericsson-router6000
    vendor       ericsson
    ports        22 161
    ssh          "SSH-2.0-OpenSSH_7.9\r\n"
    snmp_descr   "Ericsson IPOS Version IPOS-21.1.1.1.36-Release\r\nBuilt by sysbuild@eca-build-vm01 Fri Jan 29 02:14:47 PT 2021\r\nCopyright (C) 1998-2021, Ericsson AB. All rights reserved.\r\nRouter 6675"
    snmp_oid     1.3.6.1.4.1.193.218.2.29
    snmp_name    r6675-agg-1

persona samsung-printer
    vendor       samsung
    ports        80 161
    http_title   SyncThru Web Service
    snmp_descr   "Samsung M2020 Series; V3.00.01.27     JUN-02-2016;Engine V1.00.09;NIC V6.01.00;S/N ZED5B8KG3C00123"
    snmp_oid     1.3.6.1.4.1.236.11.5.1
    snmp_name    SEC30CDA7A1B2C3
    snmp_versions 1

persona arista-eos
    vendor       arista
    ports        22 161
    ssh          "SSH-2.0-OpenSSH_7.8\r\n"
    snmp_descr   "Arista Networks EOS version 4.26.4M running on an Arista Networks DCS-7280SR-48C6"
    snmp_oid     1.3.6.1.4.1.30065.1.3011.7280.1124.48.2744.6
    snmp_name    leaf-7280-03

persona mikrotik-routeros
    vendor       mikrotik
    ports        21 22 23 80 161
    ftp          "220 MikroTik FTP server (MikroTik 6.48.6) ready\r\n"
    ssh          "SSH-2.0-ROSSSH\r\n"
    telnet       "\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27MikroTik v6.48.6 (long-term)\r\nLogin: "
    http_title   RouterOS router configuration page
    snmp_descr   "RouterOS RB4011iGS+"
    snmp_oid     1.3.6.1.4.1.14988.1
    snmp_name    MikroTik

persona ubiquiti-edgerouter
    vendor       ubiquiti
    ports        22 80 443 161
    ssh          "SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7\r\n"
    http_server  Server
    http_title   EdgeOS
    tls_subject  /C=US/ST=California/L=San Jose/O=Ubiquiti Networks Inc./OU=Technical Support/CN=UBNT Router UI
    snmp_descr   "EdgeOS v2.0.9-hotfix.7.5622731.230615.0857"
    snmp_oid     1.3.6.1.4.1.41112.1.5
    snmp_name    ubnt

persona fortinet-fortigate
    vendor       fortinet
    ports        22 80 443
    ssh          "SSH-2.0-xxxxxxx\r\n"
    http_server  xxxxxxxx-xxxxx
    http_body    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><script language=\"javascript\">document.location=\"/remote/login?lang=en\";</script></head></html>\n"
    tls_subject  /C=US/ST=California/L=Sunnyvale/O=Fortinet/OU=FortiGate/CN=FGT60FTK21091234/emailAddress=support@fortinet.com
    tls_issuer   /C=US/ST=California/L=Sunnyvale/O=Fortinet/OU=Certificate Authority/CN=fortinet-subca2001/emailAddress=support@fortinet.com

persona aruba-cx
    vendor       aruba
    ports        22 443 161
    ssh          "SSH-2.0-OpenSSH_8.0\r\n"
    http_title   Aruba
    tls_subject  /C=US/ST=California/L=Santa Clara/O=Hewlett Packard Enterprise/OU=Aruba/CN=6300M
    snmp_descr   "Aruba JL658A 6300M 24SFP+ 4SFP56 Swch FL.10.08.1010"
    snmp_oid     1.3.6.1.4.1.47196.4.1.1.1.103
    snmp_name    cx6300-floor2

persona hpe-ilo
    vendor       hpe
    ports        22 80 443
    ssh          "SSH-2.0-mpSSH_0.2.1\r\n"
    http_status  301 Moved Permanently
    http_server  HPE-iLO-Server/1.30
    http_header  Location: https://localhost/
    http_body    ""
    tls_subject  /C=US/ST=Texas/L=Houston/O=Hewlett Packard Enterprise/OU=ISS/CN=ILOUSE1234567

# --- hosts that name only their software ----------------------------------------

persona linux-server
    vendor       none
    ports        22 80 161
    ssh          "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
    http_server  nginx/1.22.1
    http_title   Welcome to nginx!
    snmp_descr   "Linux web01 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64"
    snmp_oid     1.3.6.1.4.1.8072.3.2.10
    snmp_name    web01

persona windows-server
    vendor       none
    ports        21 25 80 161
    ftp          "220 Microsoft FTP Service\r\n"
    smtp         "220 mail01.corp.example Microsoft ESMTP MAIL Service ready at Sun, 29 Nov 2026 05:00:00 +0000\r\n"
    http_server  Microsoft-IIS/10.0
    http_title   IIS Windows Server
    snmp_descr   "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"
    snmp_oid     1.3.6.1.4.1.311.1.1.3.1.2
    snmp_name    MAIL01

# --- hostile --------------------------------------------------------------------

persona hostile-endless
    vendor       none
    hostile      endless
    ports        21 22 23 80
    ssh          "SSH-2.0-OpenSSH_8.9\r\n"
    ftp          "220-Welcome\r\n"
    # no login prompt: a Telnet banner ends at one, so a read that happened to stop
    # after "login: " ended the probe there and the endless stream was never read
    telnet       "Welcome\r\n"

persona hostile-drip
    vendor       none
    hostile      drip
    ports        22 80
    ssh          "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3\r\n"
    http_server  nginx
    http_title   drip

persona hostile-bigheader
    vendor       none
    hostile      bigheader
    ports        80 8080
    http_server  nginx
    http_title   big

persona hostile-badtls
    vendor       none
    hostile      badtls
    ports        80 443 8443
    http_server  nginx
    http_title   bad tls

persona hostile-badsnmp
    vendor       none
    hostile      badsnmp
    ports        161
    snmp_descr   "Linux gw 5.10.0 #1 SMP PREEMPT Tue Mar 1 10:00:00 UTC 2022 armv7l -- this description is long enough to need a two-byte BER length, which the reply lies about"
    snmp_oid     1.3.6.1.4.1.8072.3.2.10
    snmp_name    gw

persona hostile-html
    vendor       none
    hostile      html
    ports        21 22 23 80 161
    ftp          "220 <img src=x onerror=alert(1)> \x1b]0;owned\x07 FTP ready\r\n"
    ssh          "SSH-2.0-<script>alert(1)</script>\x1b[2J\x1b[H\r\n"
    telnet       "\x1b[31m<b onmouseover=alert(2)>\x1b[0m\r\n\x1b]2;pwned\x07login: "
    http_server  "<script>alert('server')</script>\x1b[1;31m"
    http_realm   "\"><svg onload=alert(3)>"
    http_status  401 Unauthorized
    http_body    "<html><head><title><script>alert(\"title\")</script>\x1b[2J\x1b]0;t\x07</title></head><body><script>document.write('x')</script></body></html>\n"
    snmp_descr   "<iframe src=javascript:alert(4)>\x1b[6n\r\n'; DROP TABLE observations; --"
    snmp_oid     1.3.6.1.4.1.99999.1
    snmp_name    "\x1b[2J<script>x</script>"

persona hostile-reset
    vendor       none
    hostile      reset
    ports        21 22 23 80
    ssh          "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n"
    ftp          "220 (vsFTPd 3.0.5)\r\n"
    telnet       "\xff\xfd\x18\xff\xfd\x20Ubuntu 22.04.4 LTS\r\nlogin: "
    http_server  Apache/2.4.52 (Ubuntu)
    http_title   Apache2 Ubuntu Default Page: It works

persona hostile-silent
    vendor       none
    hostile      silent
    ports        21 22 23 80 443 554 8000 37777 161
    tls_subject  /CN=silent

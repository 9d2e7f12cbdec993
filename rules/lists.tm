# lists.tm - vendor lists trustmap knows out of the box.  Users add their own
# in files of the same format (read by vreg_load_lists, which also accepts
# vendor records for makers the registry lacks); docs/vendors.md has details.
#
#   list ID
#       name     title shown in reports
#       source   the law or page the list comes from
#       date     YYYY-MM-DD the list took effect: before it, nothing is on it
#       member   VENDOR [roles r1,r2,...] [from YYYY-MM-DD] [until YYYY-MM-DD]
#       note     free text
#
# A member covers its whole family below it on the day asked: subsidiaries
# and brands (ezviz under hikvision, hisilicon under huawei, honor under
# huawei until 2020-11-17).  A member's "from" defaults to the list's date.
# "roles" limits a member to some device roles; a device of unknown role
# still matches (an unknown role must not hide a restricted device).
#
# Role words used here (those of src/attr/cand.h): camera, nvr, dvr, video
# (encoders, decoders, video management servers), radio (land mobile radio
# terminals), repeater, dispatch.

list fcc-covered
    name     FCC Covered List (communications equipment and services)
    source   47 CFR 1.50002; https://www.fcc.gov/supplychain/coveredlist
    date     2021-03-12
    note     Huawei and ZTE: telecommunications equipment, without limit.
    note     Hytera, Hikvision and Dahua: video surveillance and telecommunications equipment "to the extent it is used for the purpose of public safety, security of government facilities, physical security surveillance of critical infrastructure, and other national security purposes".  The list limits them by use; the roles below approximate that by the device classes concerned, and the policy's zones say where those purposes apply.  A policy wanting the strict reading (any Hikvision device in a sensitive zone) can list them again without roles.
    member   huawei
    member   zte
    member   hytera      roles radio,repeater,dispatch,camera,video
    member   hikvision   roles camera,nvr,dvr,video
    member   dahua       roles camera,nvr,dvr,video
    note     Added 2022-03-25: Kaspersky Lab's information security products; China Mobile International USA's and China Telecom (Americas)'s services.
    member   kaspersky               from 2022-03-25
    member   china-mobile-usa        from 2022-03-25
    member   china-telecom-americas  from 2022-03-25
    note     Added 2022-09-20: Pacific Networks Corp. and its subsidiary ComNet (USA) LLC; China Unicom (Americas) Operations Limited.
    member   pacific-networks        from 2022-09-20
    member   china-unicom-americas   from 2022-09-20

list ndaa-889
    name     NDAA FY2019 section 889 covered telecommunications equipment or services
    source   Pub. L. 115-232 section 889(f)(3); FAR 52.204-25
    date     2019-08-13
    note     889(a)(1)(A), procurement by executive agencies, from 2019-08-13; 889(a)(1)(B), contracting with entities that use such equipment, from 2020-08-13.  Same five producers and limits as the FCC list.
    member   huawei
    member   zte
    member   hytera      roles radio,repeater,dispatch,camera,video
    member   hikvision   roles camera,nvr,dvr,video
    member   dahua       roles camera,nvr,dvr,video

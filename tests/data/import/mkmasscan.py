#!/usr/bin/env python3
# mkmasscan.py OUT.bin - writes a masscan binary scan file (-oB) with the
# records behind masscan-oL.txt, -oJ.json, -oD.ndjson and -oX.xml, which
# were made from it by the real masscan 1.3.2 (masscan cannot scan loopback):
#   masscan --readscan OUT.bin -oL masscan-oL.txt   (likewise -oJ, -oD, -oX)
# CERT is a self-signed test certificate made with openssl for this purpose.
import struct,sys
CERT=b"MIICDDCCAbOgAwIBAgIUPigvzwwuzhq/2tTprSbvACg08GkwCgYIKoZIzj0EAwIwXDELMAkGA1UEBhMCQ04xJjAkBgNVBAoMHUh1YXdlaSBUZWNobm9sb2dpZXMgQ28uLCBMdGQuMREwDwYDVQQLDAhXaXJlbGVzczESMBAGA1UEAwwJSFVBV0VJLUFQMB4XDTI2MTEyOTA0MDA0OFoXDTM2MTEyNjA0MDA0OFowXDELMAkGA1UEBhMCQ04xJjAkBgNVBAoMHUh1YXdlaSBUZWNobm9sb2dpZXMgQ28uLCBMdGQuMREwDwYDVQQLDAhXaXJlbGVzczESMBAGA1UEAwwJSFVBV0VJLUFQMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaTitHWwDTZT5UJ/Oo58uPgrp7plMhwWecged9zxpmsT1QfNF43/I8EFonGP2iypiUa3ksGIv06GXqFWcPc8V06NTMFEwHQYDVR0OBBYEFBYBMbx01jxOmSTbOju7OSmPagLcMB8GA1UdIwQYMBaAFBYBMbx01jxOmSTbOju7OSmPagLcMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgfjtr9lioqsi6v8el7qw6/I78Y06zjc/+JmLuMDbOshQCIGTKPyTIcWbH5ofFNYd3WEnVD0hASSJ9wCRiVgIMtZ64"
def varint(n):
    out=[n&0x7f]; n>>=7
    while n: out.append(0x80|(n&0x7f)); n>>=7
    return bytes(reversed(out))
def rec(t,body): return varint(t)+varint(len(body))+body
ts=1700000000
def ip(a): return struct.unpack(">I",bytes(a))[0]
hdr=b"masscan/1.1.02\ns:%d\n"%ts
out=hdr+b"\0"*(99-len(hdr))
def st(a,port,proto=6): return rec(6,struct.pack(">IIBHBB",ts,ip(a),proto,port,2,64))
def ban(a,app,data,port,proto=6): return rec(9,struct.pack(">IIBHHB",ts,ip(a),proto,port,app,64)+data)
A=[127,0,0,5]; B=[127,0,0,6]
out+=st(A,22)
out+=ban(A,3,b"SSH-2.0-HUAWEI-1.5",22)
out+=st(A,80)
out+=ban(A,4,b"HTTP/1.0 200 OK\r\nServer: Hikvision-Webs\r\nContent-Type: text/html\r\n\r\n",80)
out+=ban(A,16,b"Web Components",80)
out+=ban(B,4,b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"DVR\"\r\n\r\n",8080)
out+=ban(B,5,b"220 ZXR10 FTP server ready\r\n",21)
out+=ban(B,28,b"\xff\xfb\x01\xff\xfb\x03\r\nZXAN login: ",23)
out+=ban(B,15,CERT,443)
out+=ban(B,15,b"bm90IGEgY2VydA==",8443)
out+=ban(B,7,b"sysDescr:Huawei Versatile Routing Platform Software\nsysObjectID:enterprises.2011.2.23.96",161,17)
out+=ban(B,0,b"\x00\x01binary\"\\",9999)
open(sys.argv[1],"wb").write(out)

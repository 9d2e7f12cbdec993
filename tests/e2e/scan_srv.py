# scan_srv.py - device-like TCP services on loopback for tests/e2e/scan.sh:
# python3 scan_srv.py SSHPORT HTTPPORT; prints "ready" once listening.
import socket, sys, threading

def serve(addr, port, data, http=False):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    def loop():
        while True:
            c, _ = s.accept()
            try:
                if http:
                    c.settimeout(2)
                    c.recv(4096)
                c.sendall(data)
            except Exception:
                pass
            c.close()
    threading.Thread(target=loop, daemon=True).start()

ssh, http = int(sys.argv[1]), int(sys.argv[2])
serve("127.0.0.1", ssh, b"SSH-2.0-HUAWEI-1.5\r\n")
serve("127.0.0.1", http, b"HTTP/1.1 200 OK\r\nServer: Huawei Auth-Http Server 1.0\r\nContent-Length: 44\r\n\r\n<html><title>Huawei AR1220</title></html>\r\n", True)
serve("127.0.0.2", ssh, b"SSH-2.0-Cisco-1.25\r\n")
serve("127.0.0.2", http, b"HTTP/1.1 401 Unauthorized\r\nServer: cisco-IOS\r\nWWW-Authenticate: Basic realm=\"level_15_access\"\r\n\r\n", True)
serve("127.0.0.3", ssh, b"\x1b[2J\x1b]0;owned\x07SSH-2.0-<script>alert(1)</script>")
print("ready", flush=True)
threading.Event().wait()

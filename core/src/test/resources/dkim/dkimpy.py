# Signs or verifies a message on stdin with dkimpy (Debian's python3-dkim), the third-party DKIM
# implementation of DkimInteropTest. Keys never come from the system's DNS: verify answers the one
# key name it is given from a file.
#   sign   <selector> <domain> <private key file> <algorithm> <canon> <length:0|1>  -> signature field
#   verify <key name> <key record file>                                      -> exit 0 when it passes
import sys
import dkim

msg = sys.stdin.buffer.read()
if sys.argv[1] == "sign":
    selector, domain, keyfile, alg, canon, length = sys.argv[2:8]
    key = open(keyfile, "rb").read()
    c = canon.encode().split(b"/")
    sig = dkim.sign(msg, selector.encode(), domain.encode(), key, signature_algorithm=alg.encode(),
                    canonicalize=(c[0], c[1]), include_headers=[b"from", b"to", b"subject"], length=length == "1")
    sys.stdout.buffer.write(sig)
else:
    name, recordfile = sys.argv[2:4]
    record = open(recordfile, "rb").read().strip()

    def dns(qname, timeout=5):
        q = qname.decode() if isinstance(qname, bytes) else qname
        return record if q.rstrip(".") == name else None

    ok = dkim.verify(msg, dnsfunc=dns)
    print("pass" if ok else "fail")
    sys.exit(0 if ok else 1)

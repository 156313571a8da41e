# Seals or validates a message on stdin with dkimpy's ARC (Debian's python3-dkim and python3-authres),
# the third-party ARC implementation of ArcInteropTest. Keys never come from the system's DNS: they are
# read from a file of "<name> <record>" lines.
#   sign   <selector> <domain> <private key file> <authserv-id>  -> the ARC set fields, then the message
#   verify <key records file>                                    -> "cv=<result>", exit 0 when it passes
import sys
import dkim

msg = sys.stdin.buffer.read()
if sys.argv[1] == "sign":
    selector, domain, keyfile, srv_id = sys.argv[2:6]
    key = open(keyfile, "rb").read()
    fields = dkim.arc_sign(msg, selector.encode(), domain.encode(), key, srv_id.encode(),
                           include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
    if not fields:
        sys.stderr.write("dkimpy did not seal the message\n")
        sys.exit(2)
    for f in fields:
        sys.stdout.buffer.write(f)
    sys.stdout.buffer.write(msg)
else:
    records = {}
    for line in open(sys.argv[2], "rb").read().splitlines():
        if line.strip():
            name, record = line.split(b" ", 1)
            records[name.decode()] = record.strip()

    def dns(qname, timeout=5):
        q = qname.decode() if isinstance(qname, bytes) else qname
        return records.get(q.rstrip("."))

    cv, results, comment = dkim.arc_verify(msg, dnsfunc=dns)
    cv = cv.decode() if isinstance(cv, bytes) else str(cv)
    print("cv=" + cv + " " + comment)
    sys.exit(0 if cv == "pass" else 1)

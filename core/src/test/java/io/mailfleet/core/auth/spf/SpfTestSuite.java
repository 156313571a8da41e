package io.mailfleet.core.auth.spf;

import io.mailfleet.core.dns.LoopbackDnsServer;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an OpenSPF YAML test suite: scenarios with their zone data and tests. The zone data is
 * turned into real DNS records for {@link LoopbackDnsServer} exactly as the suite's own driver
 * (pyspf's testspf.py) reads it: an SPF entry also gives a TXT record unless the name lists a TXT
 * entry, "TXT: NONE" means no TXT record, a bare TIMEOUT makes other types go unanswered.
 */
final class SpfTestSuite {

    record Scenario(String description, Map<String, List<LoopbackDnsServer.Entry>> zone, List<Case> cases) {
    }

    /** One test; {@code results} holds the expected result first, then the accepted alternatives. */
    record Case(String name, String spec, String helo, String host, String mailFrom, List<String> results,
                String explanation) {
    }

    private SpfTestSuite() {
    }

    static List<Scenario> load(String resource) {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<Scenario> scenarios = new ArrayList<>();
        try (InputStream in = SpfTestSuite.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            for (Object doc : yaml.loadAll(in)) {
                scenarios.add(scenario(map(doc)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scenarios;
    }

    private static Scenario scenario(Map<String, Object> doc) {
        Map<String, List<LoopbackDnsServer.Entry>> zone = new LinkedHashMap<>();
        Object zd = doc.get("zonedata");
        if (zd != null) {
            map(zd).forEach((name, items) -> {
                List<LoopbackDnsServer.Entry> entries = entries(name, (List<?>) items);
                if (entries != null) {
                    zone.put(name, entries);
                }
            });
        }
        List<Case> cases = new ArrayList<>();
        map(doc.get("tests")).forEach((name, t) -> {
            Map<String, Object> m = map(t);
            Object r = m.get("result");
            List<String> results = new ArrayList<>();
            if (r instanceof List<?> l) {
                l.forEach(x -> results.add(String.valueOf(x)));
            } else {
                results.add(String.valueOf(r));
            }
            cases.add(new Case(name, String.valueOf(m.get("spec")), str(m.get("helo")), str(m.get("host")),
                    str(m.get("mailfrom")), results, m.containsKey("explanation") ? str(m.get("explanation")) : null));
        });
        return new Scenario(String.valueOf(doc.get("description")), zone, cases);
    }

    /** The records of one name, or null when the name cannot exist in DNS (a label over 63 octets). */
    private static List<LoopbackDnsServer.Entry> entries(String owner, List<?> items) {
        Name name;
        try {
            name = Name.fromString(owner.endsWith(".") ? owner : owner + ".");
        } catch (TextParseException e) {
            return null;
        }
        List<LoopbackDnsServer.Entry> out = new ArrayList<>();
        List<List<String>> generatedTxt = new ArrayList<>();
        boolean generate = true;
        for (Object item : items) {
            if ("TIMEOUT".equals(item)) {
                out.add(new LoopbackDnsServer.Timeout());
                continue;
            }
            Map<String, Object> m = map(item);
            for (var e : m.entrySet()) {
                String type = e.getKey();
                Object v = e.getValue();
                if (type.equals("TXT") || type.equals("SPF")) {
                    List<String> strings = new ArrayList<>();
                    if (v instanceof List<?> l) {
                        l.forEach(x -> strings.add(String.valueOf(x)));
                    } else {
                        strings.add(String.valueOf(v));
                    }
                    if (type.equals("TXT")) {
                        generate = false;
                    } else if (generate) {
                        generatedTxt.add(strings);
                    }
                    if (!strings.equals(List.of("NONE"))) {
                        out.add(new LoopbackDnsServer.Rr(text(name, type.equals("TXT") ? Type.TXT : Type.SPF, strings)));
                    }
                    continue;
                }
                out.add(new LoopbackDnsServer.Rr(record(name, type, v)));
            }
        }
        if (generate) {
            for (List<String> strings : generatedTxt) {
                out.add(new LoopbackDnsServer.Rr(text(name, Type.TXT, strings)));
            }
        }
        return out;
    }

    private static Record record(Name name, String type, Object v) {
        try {
            return switch (type) {
                case "A" -> new ARecord(name, DClass.IN, 300, InetAddress.getByName(str(v)));
                case "AAAA" -> new AAAARecord(name, DClass.IN, 300, InetAddress.getByName(str(v)));
                case "MX" -> {
                    List<?> l = (List<?>) v;
                    yield new MXRecord(name, DClass.IN, 300, ((Number) l.get(0)).intValue(), absolute(str(l.get(1))));
                }
                case "PTR" -> new PTRRecord(name, DClass.IN, 300, absolute(str(v)));
                case "CNAME" -> new CNAMERecord(name, DClass.IN, 300, absolute(str(v)));
                default -> throw new IllegalArgumentException("record type " + type + " in the suite");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TXT/SPF rdata built from bytes: the suite's non-ASCII text must reach the wire as UTF-8. */
    private static Record text(Name name, int type, List<String> strings) {
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int i = 0;
            do {
                int n = Math.min(255, b.length - i);
                rdata.write(n);
                rdata.write(b, i, n);
                i += n;
            } while (i < b.length);
        }
        return Record.newRecord(name, type, DClass.IN, 300, rdata.toByteArray());
    }

    private static Name absolute(String host) throws TextParseException {
        return Name.fromString(host.endsWith(".") ? host : host + ".");
    }

    private static String str(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}

package io.mailfleet.persistence.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** One page of an S3 ListObjectsV2 answer: the objects and where the next page starts. */
record S3ListPage(List<S3ListPage.Entry> entries, boolean truncated, String nextToken) {

    /** One listed object. */
    record Entry(String key, long size, Instant lastModified) {
    }

    private static final XMLInputFactory FACTORY = secureFactory();

    private static XMLInputFactory secureFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        // a listing never needs a DTD; refusing them keeps external and expanding entities out
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    /** Parses a ListBucketResult; {@code source} names the bucket in errors. */
    static S3ListPage parse(byte[] xml, String source) throws IOException {
        List<Entry> entries = new ArrayList<>();
        boolean truncated = false;
        String next = null;
        boolean sawRoot = false;
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                String key = null;
                String size = null;
                String modified = null;
                int depth = 0;
                boolean inContents = false;
                while (r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        String name = r.getLocalName();
                        if (depth == 1) {
                            if (!"ListBucketResult".equals(name)) {
                                throw new IOException("S3 listing of " + source + " is a <" + name
                                        + ">, not a <ListBucketResult>");
                            }
                            sawRoot = true;
                        } else if (depth == 2 && "Contents".equals(name)) {
                            inContents = true;
                            key = size = modified = null;
                        } else if (depth == 2 && "IsTruncated".equals(name)) {
                            truncated = "true".equalsIgnoreCase(r.getElementText().trim());
                            depth--;
                        } else if (depth == 2 && "NextContinuationToken".equals(name)) {
                            next = r.getElementText();
                            depth--;
                        } else if (depth == 3 && inContents && "Key".equals(name)) {
                            key = r.getElementText();
                            depth--;
                        } else if (depth == 3 && inContents && "Size".equals(name)) {
                            size = r.getElementText().trim();
                            depth--;
                        } else if (depth == 3 && inContents && "LastModified".equals(name)) {
                            modified = r.getElementText().trim();
                            depth--;
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        if (depth == 2 && inContents) {
                            entries.add(entry(key, size, modified, source));
                            inContents = false;
                        }
                        depth--;
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new IOException("S3 listing of " + source + " is not well-formed XML: " + e.getMessage(), e);
        }
        if (!sawRoot) {
            throw new IOException("S3 listing of " + source + " is empty");
        }
        if (truncated && (next == null || next.isEmpty())) {
            throw new IOException("S3 listing of " + source + " is truncated but names no continuation token");
        }
        return new S3ListPage(List.copyOf(entries), truncated, next);
    }

    private static Entry entry(String key, String size, String modified, String source) throws IOException {
        if (key == null || size == null || modified == null) {
            throw new IOException("S3 listing of " + source + " has an object without Key, Size or LastModified"
                    + (key == null ? "" : " (key " + key + ")"));
        }
        try {
            return new Entry(key, Long.parseLong(size), Instant.parse(modified));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IOException("S3 listing of " + source + " has object " + key + " with size '" + size
                    + "' or time '" + modified + "' that cannot be read", e);
        }
    }
}

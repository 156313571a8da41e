package io.mailfleet.persistence.blob;

import java.net.URI;
import java.util.Locale;

/**
 * Where an S3-compatible blob store lives: endpoint ({@code https://s3.eu-west-1.amazonaws.com},
 * {@code http://minio:9000}), bucket, signing region, credentials and the addressing style
 * (path style {@code endpoint/bucket/key}, or virtual host {@code bucket.endpoint/key}).
 */
public record S3Settings(URI endpoint, String bucket, String region, String accessKey, String secretKey,
                         boolean pathStyle) {

    public S3Settings {
        if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equalsIgnoreCase("http") || endpoint.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("S3 endpoint '" + endpoint + "' must be an http:// or https:// URL with a host");
        }
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("S3 bucket '" + bucket
                    + "' must be 3-63 characters of lower-case letters, digits, dots and hyphens");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("S3 region must not be empty (e.g. us-east-1)");
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key and secret key must both be set");
        }
        region = region.trim();
        accessKey = accessKey.trim();
        String path = endpoint.getPath();
        if (path != null && path.endsWith("/")) {
            endpoint = URI.create(endpoint.toString().substring(0, endpoint.toString().length() - 1));
        }
    }

    /** The URL of an object (or of the bucket when {@code key} is empty). */
    URI objectUri(String key) {
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        String base = endpoint.getPath() == null ? "" : endpoint.getPath();
        if (pathStyle) {
            return URI.create(scheme + "://" + endpoint.getHost() + port + base + "/" + bucket + "/" + key);
        }
        return URI.create(scheme + "://" + bucket + "." + endpoint.getHost() + port + base + "/" + key);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region
                + ", accessKey=" + accessKey + ", pathStyle=" + pathStyle + "]";
    }
}

package io.mailfleet.server.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;

/**
 * Opens connections to one {@link LdapEndpoint}: a pool bound as the service account for searches, and
 * single connections for a user's own bind. {@code ldaps://} connects over TLS, {@code ldap://} with
 * StartTLS when configured; both trust the endpoint's CA file (else the JVM's trust store) and check
 * the server's host name. Every operation has the configured time-out, so a server that hangs answers
 * as one that is down.
 */
public final class LdapConnections implements AutoCloseable {

    private final LdapEndpoint endpoint;
    private final ServerSet servers;
    private final LDAPConnectionPool pool;

    /** Opens nothing yet: the pool connects on first use, so start-up does not wait for the LDAP server. */
    public LdapConnections(LdapEndpoint endpoint, Duration timeout, int size) throws LDAPException {
        this.endpoint = endpoint;
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        options.setConnectTimeoutMillis(millis);
        options.setResponseTimeoutMillis(millis);
        options.setAbandonOnTimeout(true);
        options.setUseSynchronousMode(false);
        SSLContext tls = tlsContext(endpoint);
        String[] hosts = new String[endpoint.uris().size()];
        int[] ports = new int[hosts.length];
        boolean ldaps = false;
        for (int i = 0; i < hosts.length; i++) {
            URI u = endpoint.uris().get(i);
            boolean secure = "ldaps".equalsIgnoreCase(u.getScheme());
            ldaps |= secure;
            hosts[i] = u.getHost();
            ports[i] = u.getPort() > 0 ? u.getPort() : secure ? 636 : 389;
        }
        SocketFactory sockets = ldaps ? tls.getSocketFactory() : SocketFactory.getDefault();
        // checks the certificate's names against the host for ldaps:// and after StartTLS alike
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        this.servers = new FailoverServerSet(hosts, ports, sockets, options, null, startTls(endpoint, tls));
        BindRequest bind = endpoint.bindDn().isEmpty() ? null
                : new SimpleBindRequest(endpoint.bindDn(), endpoint.bindPassword());
        this.pool = new LDAPConnectionPool(servers, bind, 0, size, null, false);
        pool.setMaxWaitTimeMillis(millis);
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        pool.setCreateIfNecessary(true);
    }

    private static PostConnectProcessor startTls(LdapEndpoint endpoint, SSLContext tls) {
        if (!endpoint.startTls()) {
            return null;
        }
        return new PostConnectProcessor() {
            @Override
            public void processPreAuthenticatedConnection(LDAPConnection connection) throws LDAPException {
                if (connection.getSSLSession() != null) {
                    return; // ldaps:// already
                }
                var result = connection.processExtendedOperation(new StartTLSExtendedRequest(tls));
                if (result.getResultCode() != ResultCode.SUCCESS) {
                    throw new LDAPException(result.getResultCode(), "StartTLS refused: " + result.getDiagnosticMessage());
                }
            }

            @Override
            public void processPostAuthenticatedConnection(LDAPConnection connection) {
            }
        };
    }

    private static SSLContext tlsContext(LdapEndpoint endpoint) throws LDAPException {
        try {
            TrustManager trust;
            if (endpoint.caFile().isPresent()) {
                trust = new PEMFileTrustManager(endpoint.caFile().get().toFile());
            } else {
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init((KeyStore) null);
                trust = (X509TrustManager) f.getTrustManagers()[0];
            }
            return new SSLUtil(trust).createSSLContext();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new LDAPException(ResultCode.LOCAL_ERROR, "LDAP TLS set-up: " + e.getMessage(), e);
        }
    }

    /** The pool bound as the service account. */
    public LDAPConnectionPool pool() {
        return pool;
    }

    /** A new connection (StartTLS done), not bound; the caller closes it. */
    public LDAPConnection connect() throws LDAPException {
        return servers.getConnection();
    }

    public LdapEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        pool.close();
    }
}

package io.inferenceworker.serde;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the TLS context of the registry client from the {@code schema.registry.ssl.*} keys: the trust store
 * (JVM default trust when unset), the key store for mutual TLS, and host name verification ("https", the
 * default, or empty to disable it).
 */
final class RegistryTls {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTls.class);

    private RegistryTls() {
    }

    /** A dedicated context, or empty when the JVM default TLS settings apply unchanged. */
    static Optional<SSLContext> contextFor(AvroSerdeConfig config) {
        String trustStore = config.string(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
        String keyStore = config.string(AvroSerdeConfig.SSL_KEYSTORE_LOCATION);
        boolean verifyHostNames = verifyHostNames(config.string(AvroSerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM));
        if (isBlank(trustStore) && isBlank(keyStore) && verifyHostNames) {
            return Optional.empty();
        }
        try {
            KeyManager[] keyManagers = isBlank(keyStore) ? null : keyManagers(config, keyStore);
            TrustManager[] trustManagers = trustManagers(config, trustStore);
            if (!verifyHostNames) {
                LOG.warn("Host name verification of the schema registry's TLS certificate is disabled ({} is empty)",
                        AvroSerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);
                for (int i = 0; i < trustManagers.length; i++) {
                    if (trustManagers[i] instanceof X509TrustManager x509) {
                        trustManagers[i] = new ChainOnlyTrustManager(x509);
                    }
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw configError("the schema registry TLS context cannot be built: " + e.getClass().getSimpleName(), e);
        }
    }

    private static boolean verifyHostNames(String algorithm) {
        if (algorithm == null || algorithm.isBlank()) {
            return false;
        }
        if (!algorithm.trim().equalsIgnoreCase("https")) {
            throw new ConfigException(AvroSerdeConfig.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM
                    + " must be https or empty, not " + algorithm);
        }
        return true;
    }

    private static KeyManager[] keyManagers(AvroSerdeConfig config, String location) throws GeneralSecurityException {
        Password storePassword = config.password(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD);
        Password keyPassword = config.password(AvroSerdeConfig.SSL_KEY_PASSWORD);
        KeyStore store = load(location, config.string(AvroSerdeConfig.SSL_KEYSTORE_TYPE), storePassword,
                AvroSerdeConfig.SSL_KEYSTORE_LOCATION);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        Password effectiveKeyPassword = keyPassword != null ? keyPassword : storePassword;
        factory.init(store, effectiveKeyPassword == null ? new char[0] : effectiveKeyPassword.value().toCharArray());
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(AvroSerdeConfig config, String location)
            throws GeneralSecurityException {
        KeyStore store = isBlank(location) ? null : load(location, config.string(AvroSerdeConfig.SSL_TRUSTSTORE_TYPE),
                config.password(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD), AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static KeyStore load(String location, String type, Password password, String locationKey) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.value().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // IOException covers a wrong password too; its message holds no secret.
            throw configError(locationKey + " " + location + " cannot be loaded as a " + type + " store: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static ConfigException configError(String message, Exception cause) {
        ConfigException error = new ConfigException(message);
        error.initCause(cause);
        return error;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * Verifies the certificate chain but not the host name: the JDK HTTP client always asks for endpoint
     * identification, which only the trust manager's engine-aware checks perform, so these delegate to the
     * chain-only checks.
     */
    private static final class ChainOnlyTrustManager extends X509ExtendedTrustManager {

        private final X509TrustManager delegate;

        ChainOnlyTrustManager(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}

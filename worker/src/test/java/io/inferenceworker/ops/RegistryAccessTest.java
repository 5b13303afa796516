package io.inferenceworker.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryAccessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void sendsUserInfoAsBasicAuth() {
        RegistryAccess access = RegistryAccess.of("https://sr.example:8081", Map.of(
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "key:s3cret"));

        HttpRequest request = access.subjectsRequest(access.urls().getFirst(), TIMEOUT);

        assertThat(request.uri()).isEqualTo(URI.create("https://sr.example:8081/subjects"));
        assertThat(request.headers().firstValue("Authorization")).hasValue(basic("key:s3cret"));
    }

    @Test
    void takesBasicAuthFromTheUrlByDefaultAndNeverShowsIt() {
        RegistryAccess access = RegistryAccess.of("http://key:p%40ss@127.0.0.1:8081/base/", Map.of());
        URI url = access.urls().getFirst();

        HttpRequest request = access.subjectsRequest(url, TIMEOUT);

        assertThat(request.headers().firstValue("Authorization")).hasValue(basic("key:p@ss"));
        assertThat(request.uri().toString()).isEqualTo("http://127.0.0.1:8081/base/subjects");
        assertThat(RegistryAccess.display(url)).isEqualTo("http://127.0.0.1:8081/base/");
        assertThat(access.toString()).doesNotContain("p%40ss").doesNotContain("key:");
    }

    @Test
    void prefersBearerTokenWithConfluentCloudHeaders() {
        RegistryAccess access = RegistryAccess.of("http://sr:8081", Map.of(
                "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok3n",
                "bearer.auth.logical.cluster", "lsrc-123", "bearer.auth.identity.pool.id", "pool-9",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "key:s3cret"));

        HttpRequest request = access.subjectsRequest(access.urls().getFirst(), TIMEOUT);

        assertThat(request.headers().firstValue("Authorization")).hasValue("Bearer tok3n");
        assertThat(request.headers().firstValue("target-sr-cluster")).hasValue("lsrc-123");
        assertThat(request.headers().firstValue("Confluent-Identity-Pool-Id")).hasValue("pool-9");
    }

    @Test
    void sendsNoAuthorizationWithoutCredentials() {
        RegistryAccess access = RegistryAccess.of("http://sr:8081", Map.of());

        assertThat(access.subjectsRequest(access.urls().getFirst(), TIMEOUT).headers().firstValue("Authorization"))
                .isEmpty();
    }

    @Test
    void readsSeveralUrls() {
        RegistryAccess access = RegistryAccess.of(" http://a:1 , http://b:2 ,", Map.of());

        assertThat(access.urls()).containsExactly(URI.create("http://a:1"), URI.create("http://b:2"));
    }

    @Test
    void rejectsUnusableSettingsWithoutQuotingThem() {
        assertThatThrownBy(() -> RegistryAccess.of("not a url with s3cret", Map.of()))
                .isInstanceOf(RegistryAccess.UnusableConfigurationException.class)
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RegistryAccess.of(" , ", Map.of()))
                .isInstanceOf(RegistryAccess.UnusableConfigurationException.class);
        RegistryAccess inherit = RegistryAccess.of("http://sr:8081",
                Map.of("basic.auth.credentials.source", "SASL_INHERIT"));
        assertThatThrownBy(() -> inherit.subjectsRequest(inherit.urls().getFirst(), TIMEOUT))
                .isInstanceOf(RegistryAccess.UnusableConfigurationException.class)
                .hasMessageContaining("basic.auth.credentials.source");
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}

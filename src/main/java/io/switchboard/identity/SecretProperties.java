package io.switchboard.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param secretKey base64 of a 32-byte AES key that encrypts secrets at rest (channel credentials, LLM
 *                  keys). Empty: a key is generated once into the data directory; every node of a cluster
 *                  must then be given the same {@code SWITCHBOARD_SECRET_KEY}.
 * @param bootstrapToken an API token (ADMIN, integration) registered at start-up so automation can
 *                  configure a fresh instance
 */
@ConfigurationProperties("switchboard")
public record SecretProperties(String secretKey, String bootstrapToken) {
}

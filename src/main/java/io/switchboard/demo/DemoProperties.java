package io.switchboard.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled  create the demo workspace on first start (once; later starts find it). Unset: only on the
 *                 embedded database (a laptop), never on an external one unless set to {@code true}
 * @param password password of the demo admin and agent users
 */
@ConfigurationProperties("switchboard.demo")
record DemoProperties(Boolean enabled, String password) {

    /** Whether to create the demo workspace: as configured, else only when the database is the embedded one. */
    boolean enabledOn(org.springframework.core.env.Environment environment) {
        if (enabled != null) {
            return enabled;
        }
        return environment.getProperty("switchboard.db.url", "").isBlank()
                && environment.getProperty("spring.datasource.url", "").isBlank();
    }

    DemoProperties {
        if (password == null || password.isBlank()) {
            password = "switchboard";
        }
    }
}

package io.switchboard.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled  create the demo workspace on first start (once; later starts find it)
 * @param password password of the demo admin and agent users
 */
@ConfigurationProperties("switchboard.demo")
record DemoProperties(Boolean enabled, String password) {

    DemoProperties {
        if (enabled == null) {
            enabled = true;
        }
        if (password == null || password.isBlank()) {
            password = "switchboard";
        }
    }
}

/** The demo workspace created on first start, so a fresh instance can be tried at once. */
@org.springframework.modulith.ApplicationModule(displayName = "Demo workspace", allowedDependencies = {"ai", "channel", "conversation", "database", "identity"})
package io.switchboard.demo;

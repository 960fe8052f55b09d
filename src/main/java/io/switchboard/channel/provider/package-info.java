/**
 * The provider-facing edge of the channel module: verifies webhook signatures, turns Twilio, Meta
 * Cloud API and Evolution API payloads into normalized messages and status updates, and delivers
 * outbound messages over HTTP with a retry-or-give-up verdict. Pure Java, no Spring, no database.
 */
package io.switchboard.channel.provider;

// Javadoc in this package avoids double quotes: Spring Modulith copies Javadoc into javadoc.json and
// the module documentation test reads it back with Spring Boot's BasicJsonParser, which splits
// escaped quotes followed by commas ("a, b") and fails the build.

/**
 * Organizations (tenants), users and their roles, API tokens, encrypted settings, and who is calling.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Identity", allowedDependencies = {"database", "refusal"})
package io.switchboard.identity;

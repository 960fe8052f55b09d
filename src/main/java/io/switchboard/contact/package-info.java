/** Contacts (the customers) and their identities on each channel account. */
@org.springframework.modulith.ApplicationModule(displayName = "Contacts", allowedDependencies = {"database", "refusal"})
package io.switchboard.contact;

/** Contacts (the customers) and their identities on each channel account. */
@org.springframework.modulith.ApplicationModule(displayName = "Contacts", allowedDependencies = {"refusal"})
package io.switchboard.contact;

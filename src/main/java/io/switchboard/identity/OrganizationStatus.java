package io.switchboard.identity;

/** Whether an organization may work: a suspended one keeps its data, but nobody signs in and no token works. */
public enum OrganizationStatus {
    ACTIVE,
    SUSPENDED
}

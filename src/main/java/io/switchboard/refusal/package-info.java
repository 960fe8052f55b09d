/**
 * The refusals every module's services speak — not found, conflict, invalid input — so services stay free of
 * HTTP; the web edge ({@code web.ApiProblems}) turns them into problem+json with the right status.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Refusals", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.switchboard.refusal;

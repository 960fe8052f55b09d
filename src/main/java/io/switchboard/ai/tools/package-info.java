/**
 * The tools AI agents call. Named so the admin UI can list them (with their descriptions) for assignment.
 */
@org.springframework.modulith.NamedInterface("tools")
package io.switchboard.ai.tools;

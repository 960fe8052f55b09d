/**
 * Tests of AI agents before they talk to customers: scenarios (scripted customer, tool fixtures, expectations),
 * replays of real conversations, suites run as durable jobs against a draft configuration (with an optional
 * publish gate and pass^k), the playground, and the headless runner that writes JUnit XML. Runs go through
 * {@link io.switchboard.ai.Rehearsals}: no channel, customer, tool backend or usage limit is touched.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Agent tests", allowedDependencies = {"ai", "ai::tools", "conversation", "database", "identity", "refusal"})
package io.switchboard.rehearsal;

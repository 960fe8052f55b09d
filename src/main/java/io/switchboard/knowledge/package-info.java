/**
 * What the AI knows beyond its prompt: knowledge bases of documents and curated Q&amp;A, indexed into chunks and
 * searched by meaning and by words (hybrid retrieval that works in Portuguese), memories about each contact, and
 * feedback records (complaints, requests for a person, unhelpful answers).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Knowledge", allowedDependencies = {"database", "identity", "outbound", "refusal"})
package io.switchboard.knowledge;

/** Answering without an LLM key: {@link io.switchboard.ai.offline.FaqResponder} matches FAQ questions by meaning. */
package io.switchboard.ai.offline;

package io.switchboard.channel.provider;

import java.util.List;

/**
 * What a provider says about a message we may have sent before a crash: the answer that lets a revived
 * delivery avoid sending twice.
 */
public sealed interface SentLookup {

    /** Messages to that recipient with that text, created since the attempt began, oldest first. */
    record Found(List<String> providerMessageIds) implements SentLookup {
        public Found {
            providerMessageIds = List.copyOf(providerMessageIds);
        }
    }

    /** The provider has no such message: it never left, so sending it is safe. */
    record NotFound() implements SentLookup {
    }

    /** The provider offers no way to ask (Meta Cloud API, Evolution, the API channel). */
    record Unsupported() implements SentLookup {
    }

    /** The question could not be answered now (network, 5xx, 429): ask again later. */
    record Unavailable(String reason) implements SentLookup {
    }
}

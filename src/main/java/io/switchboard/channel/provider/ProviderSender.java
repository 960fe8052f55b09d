package io.switchboard.channel.provider;

/**
 * Delivers one outbound message through a provider's HTTP API. A real seam: one implementation per
 * provider, chosen by the channel account.
 *
 * <p>Contract: never throws for provider or network trouble; the answer is a {@link SendResult}
 * that tells the durable delivery job whether to record the provider id, retry later, or give up
 * and fall back. One call sends one provider message: split long texts with
 * {@link MessageSplitter} first. A failure after the request may have left (no answer in time, a dropped
 * connection) is {@code Retryable} with code {@link SendResult.Retryable#IN_DOUBT}: the caller asks
 * {@link #findSent} (or a person) before sending again.
 */
public interface ProviderSender {

    SendResult send(OutboundRequest request);

    /**
     * Whether a message with this request's recipient and text was created at the provider since
     * {@code since}: asked when a delivery was interrupted mid-call and it is unknown whether the request
     * left. Providers without a way to ask answer {@link SentLookup.Unsupported}: the caller must then not
     * send blind. Never throws for provider or network trouble.
     */
    default SentLookup findSent(OutboundRequest request, java.time.Instant since) {
        return new SentLookup.Unsupported();
    }
}

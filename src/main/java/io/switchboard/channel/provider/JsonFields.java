package io.switchboard.channel.provider;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Lenient reads of provider JSON: absent, null and container nodes read as {@code null}. */
final class JsonFields {

    private JsonFields() {
    }

    static JsonNode readTree(JsonMapper mapper, byte[] body, String provider) {
        if (body == null || body.length == 0) {
            throw new MalformedPayloadException(provider + " webhook body is empty");
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || !root.isObject()) {
                throw new MalformedPayloadException(provider + " webhook body is not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new MalformedPayloadException(provider + " webhook body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Text of a scalar node (numbers as written), {@code null} when absent, null or blank. */
    static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainer()) {
            return null;
        }
        String value = node.asString();
        return value == null || value.isBlank() ? null : value;
    }
}

package io.switchboard.channel.provider;

import java.util.List;

/**
 * An approved WhatsApp template with its variables in order ({{1}}, {{2}}…): the only message WhatsApp delivers once
 * 24 hours have passed since the customer last wrote.
 *
 * @param name       Meta's template name (also Twilio's friendly name)
 * @param language   Meta's language code, e.g. pt_BR
 * @param contentSid Twilio's Content SID (HX…), {@code null} on Meta
 * @param variables  values of the body variables, in order
 */
public record TemplateMessage(String name, String language, String contentSid, List<String> variables) {

    public TemplateMessage {
        variables = variables == null ? List.of() : List.copyOf(variables);
    }
}

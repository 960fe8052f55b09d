package io.switchboard.web;

import io.switchboard.channel.ChannelAccount;
import io.switchboard.channel.ChannelType;
import io.switchboard.conversation.QueueTab;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The channel account form as typed. Config inputs are named {@code config.<key>} and secret inputs
 * {@code secret.<key>}; secrets are never filled in, and a blank one keeps what is stored.
 */
record ChannelAccountForm(ChannelType type, String name, Map<String, String> config, Map<String, String> secrets,
                          String defaultAiAgentId, String queueTab, boolean reopenClosed, String inactivityCloseMinutes,
                          boolean enabled) {

    /** Settings the providers read besides the required ones, so an administrator can set them here too. */
    private static final Map<ChannelType, List<String>> KNOWN_CONFIG = Map.of(
            ChannelType.TWILIO, List.of("account_sid", "from", "messaging_service_sid"),
            ChannelType.META_CLOUD, List.of("phone_number_id", "waba_id"),
            ChannelType.INSTAGRAM, List.of("instagram_account_id"),
            ChannelType.MESSENGER, List.of("page_id"),
            ChannelType.EVOLUTION, List.of("base_url", "instance"),
            ChannelType.WEBCHAT, List.of("title"),
            ChannelType.API, List.of("outbound_webhook_url"));

    /** One input of the form: its key, whether the account cannot work without it, and whether it is secret. */
    record Field(String key, boolean required, boolean secret) {
        public String inputName() {
            return (secret ? "secret." : "config.") + key;
        }

        public String id() {
            return (secret ? "secret-" : "config-") + key;
        }
    }

    static List<Field> configFields(ChannelType type) {
        List<Field> fields = new ArrayList<>();
        KNOWN_CONFIG.getOrDefault(type, List.of()).forEach(k -> fields.add(new Field(k, type.requiredConfig().contains(k), false)));
        // a required key added to the type later still gets an input
        new TreeSet<>(type.requiredConfig()).stream().filter(k -> fields.stream().noneMatch(f -> f.key().equals(k)))
                .forEach(k -> fields.add(new Field(k, true, false)));
        return fields;
    }

    static List<Field> secretFields(ChannelType type) {
        return new TreeSet<>(type.secretKeys()).stream().map(k -> new Field(k, type.requiredSecrets().contains(k), true)).toList();
    }

    static ChannelAccountForm blank(ChannelType type) {
        return new ChannelAccountForm(type, "", Map.of(), Map.of(), "", QueueTab.defaultForChannelType(type.code()).name(),
                true, "", true);
    }

    static ChannelAccountForm of(ChannelAccount account) {
        Map<String, String> config = new LinkedHashMap<>();
        account.config().forEach((k, v) -> config.put(k, v == null ? "" : v.toString()));
        return new ChannelAccountForm(account.type(), account.name(), config, Map.of(),
                account.defaultAiAgentId() == null ? "" : account.defaultAiAgentId().toString(), account.queueTab().name(),
                account.reopenClosed(), account.inactivityCloseMinutes() == null ? "" : account.inactivityCloseMinutes().toString(),
                account.enabled());
    }

    static ChannelAccountForm from(ChannelType type, Map<String, String[]> parameters) {
        Map<String, String> config = new LinkedHashMap<>();
        configFields(type).forEach(f -> config.put(f.key(), first(parameters, f.inputName()).strip()));
        Map<String, String> secrets = new LinkedHashMap<>();
        secretFields(type).forEach(f -> secrets.put(f.key(), first(parameters, f.inputName()).strip()));
        return new ChannelAccountForm(type, first(parameters, "name").strip(), config, secrets,
                first(parameters, "default_ai_agent_id"), first(parameters, "queue_tab"),
                parameters.containsKey("reopen_closed"), first(parameters, "inactivity_close_minutes").strip(),
                parameters.containsKey("enabled"));
    }

    public String configValue(String key) {
        return config.getOrDefault(key, "");
    }

    /**
     * What the service stores: a blank optional setting is cleared, a blank secret left out (so the stored
     * one stays).
     */
    Map<String, Object> settings() {
        Map<String, Object> all = new LinkedHashMap<>();
        configFields(type).forEach(f -> {
            String value = configValue(f.key());
            all.put(f.key(), value.isBlank() && !f.required() ? null : value);
        });
        secrets.forEach((key, value) -> {
            if (!value.isBlank()) {
                all.put(key, value);
            }
        });
        return all;
    }

    private static String first(Map<String, String[]> parameters, String name) {
        String[] given = parameters.get(name);
        return given == null || given.length == 0 || given[0] == null ? "" : given[0];
    }
}

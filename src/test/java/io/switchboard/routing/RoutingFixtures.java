package io.switchboard.routing;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.ChannelOrigin;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.QueueTab;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.ApiTokens;
import io.switchboard.identity.Presence;
import io.switchboard.identity.Role;
import io.switchboard.identity.User;
import io.switchboard.identity.Users;
import io.switchboard.support.ApiClient;
import io.switchboard.support.Channels;
import io.switchboard.support.Tenants;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A team to distribute to: people with presence, a department with members, and customers handed to it. */
@TestComponent
class RoutingFixtures {

    private final Tenants tenants;
    private final Users users;
    private final ApiTokens tokens;
    private final Presence presence;
    private final Channels channels;
    private final Contacts contacts;
    private final Conversations conversations;
    private final ApiClient api;
    private final JdbcClient jdbc;

    RoutingFixtures(Tenants tenants, Users users, ApiTokens tokens, Presence presence, Channels channels,
                    Contacts contacts, Conversations conversations, ApiClient api, JdbcClient jdbc) {
        this.tenants = tenants;
        this.users = users;
        this.tokens = tokens;
        this.presence = presence;
        this.channels = channels;
        this.contacts = contacts;
        this.conversations = conversations;
        this.api = api;
        this.jdbc = jdbc;
    }

    record Team(Tenants.Tenant tenant, UUID accountId, UUID departmentId) {

        UUID id() {
            return tenant.id();
        }
    }

    record Person(UUID id, String name, String token) {
    }

    Team team(String name, String method) {
        Tenants.Tenant tenant = tenants.create(name);
        UUID account = channels.twilioAccount(tenant, null);
        var created = api.post("/api/v1/departments", tenant.adminToken(), Map.of("name", "Suporte", "assignment_method", method));
        if (created.status() != 201) {
            throw new IllegalStateException("department not created: " + created.body());
        }
        return new Team(tenant, account, UUID.fromString(created.json().get("id").asString()));
    }

    /** A person in the team's department, with the given presence ("online", "away", "offline"). */
    Person person(Team team, String name, String status, Map<String, Object> membership) {
        User user = users.create(team.id(), name.toLowerCase().replace(' ', '.') + "-" + UUID.randomUUID().toString().substring(0, 6)
                + "@example.test", name, Tenants.PASSWORD, Role.AGENT);
        String token = tokens.issue(team.id(), user.id(), "routing", Role.AGENT).value();
        var body = new java.util.HashMap<String, Object>(membership);
        body.put("user_id", user.id());
        var added = api.post("/api/v1/departments/" + team.departmentId() + "/members", team.tenant().adminToken(), body);
        if (added.status() != 201) {
            throw new IllegalStateException("member not added: " + added.body());
        }
        setPresence(new Person(user.id(), name, token), status);
        return new Person(user.id(), name, token);
    }

    void setPresence(Person person, String status) {
        var set = api.put("/api/v1/me/presence", person.token(), Map.of("presence", status));
        if (set.status() != 200) {
            throw new IllegalStateException("presence not set: " + set.body());
        }
    }

    /** A customer's conversation, open on the team's account and owned by nobody yet. */
    Conversation customer(Team team, String phone) {
        return TenantScope.call(team.id(), () -> {
            Contact contact = contacts.findOrCreateByIdentity(team.id(), team.accountId(), "whatsapp:" + phone, "Cliente " + phone, phone);
            return conversations.openFor(team.id(), contact, new ChannelOrigin(team.accountId(), "twilio", QueueTab.WHATSAPP, false, null));
        });
    }

    /** The conversation goes to people (as an AI escalation does): the department's rules assign it. */
    Conversation handOff(Team team, String phone) {
        Conversation conversation = customer(team, phone);
        TenantScope.run(team.id(), () -> conversations.handOffToQueue(conversation.id(), "Escalated: customer asked for a person", false, null));
        return conversation;
    }

    UUID assignee(Team team, UUID conversationId) {
        return TenantScope.call(team.id(), () -> conversations.find(conversationId).agentId());
    }

    List<String> history(Team team, UUID conversationId) {
        return TenantScope.call(team.id(), () -> jdbc.sql("select type from conversation_events where conversation_id = ? order by created_at")
                .param(conversationId).query(String.class).list());
    }

    void close(Team team, UUID conversationId) {
        TenantScope.run(team.id(), () -> conversations.close(conversationId, "agent", null));
    }
}

package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.identity.Presence;
import io.switchboard.routing.AssignmentMethod;
import io.switchboard.routing.Department;
import io.switchboard.routing.DepartmentMember;
import io.switchboard.routing.Departments;
import io.switchboard.routing.SlaPolicies;
import io.switchboard.routing.SlaPolicy;
import io.switchboard.support.ApiClient;
import io.switchboard.support.IntegrationTest;
import io.switchboard.support.SignedInSession;
import io.switchboard.support.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The departments pages over plain HTTP, in both languages: an admin creates a department, sets its method,
 * capacity and SLA, adds a member; a bad value comes back as a message; agents toggle their availability.
 */
@IntegrationTest
class AdminDepartmentsHttpTest {

    @Autowired
    ApiClient api;

    @Autowired
    Tenants tenants;

    @Autowired
    Departments departments;

    @Autowired
    SlaPolicies sla;

    @Autowired
    Presence presence;

    @Autowired
    io.switchboard.support.Channels channels;

    @Autowired
    io.switchboard.routing.ChannelRules channelRules;

    @Test
    void anAdminSetsUpADepartmentWithItsMethodMembersAndSlaInPortugueseAndEnglish() throws Exception {
        var tenant = tenants.create("Departments Admin Co");
        SignedInSession admin = new SignedInSession(api.baseUrl(), tenant.admin().email());
        var empty = admin.get("/admin/departments", "Accept-Language", "pt-BR");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(empty.body()).contains("Departamentos").contains("Nenhum departamento ainda").contains("Disponibilidade")
                .doesNotContain("??");
        String csrf = SignedInSession.csrf(empty.body());

        var created = admin.post("/admin/departments", "_csrf=" + csrf + "&name=Financeiro&method=by_load");
        assertThat(created.statusCode()).isEqualTo(302);
        assertThat(follow(admin, created).body()).contains("Department Financeiro created.");
        Department department = tenant.scoped(() -> departments.list()).get(0);
        assertThat(department.name()).isEqualTo("Financeiro");
        assertThat(department.assignmentMethod()).isEqualTo(AssignmentMethod.BY_LOAD);

        String base = "/admin/departments/" + department.id();
        var page = admin.get(base, "Accept-Language", "en");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Assignment method").contains("By load").contains("Members").contains("Service level (SLA)")
                .doesNotContain("??");
        assertThat(admin.get(base, "Accept-Language", "pt-BR").body()).contains("Por carga").contains("Membros").doesNotContain("??");

        assertThat(follow(admin, admin.post(base, "_csrf=" + csrf + "&name=Financeiro&method=percentage&autoAssign=true&isDefault=true"
                + "&maxConversations=12&stickyWindowMinutes=60&specialties=boleto")).statusCode()).isEqualTo(200);
        assertThat(follow(admin, admin.post(base + "/members", "_csrf=" + csrf + "&member=user:" + tenant.agent().id() + "&weight=70"
                + "&maxConversations=5&specialties=boleto,pix")).statusCode()).isEqualTo(200);
        assertThat(follow(admin, admin.post(base + "/sla", "_csrf=" + csrf + "&firstResponseMinutes=10&resolutionHours=8&redistributeOnBreach=true"))
                .body()).contains("Saved.");

        Department saved = tenant.scoped(() -> departments.get(department.id()));
        assertThat(saved.assignmentMethod()).isEqualTo(AssignmentMethod.PERCENTAGE);
        assertThat(saved.maxConversations()).isEqualTo(12);
        assertThat(saved.stickyWindowMinutes()).isEqualTo(60);
        assertThat(saved.isDefault()).isTrue();
        List<DepartmentMember> members = tenant.scoped(() -> departments.members(department.id()));
        assertThat(members).singleElement().satisfies(m -> {
            assertThat(m.userId()).isEqualTo(tenant.agent().id());
            assertThat(m.weight()).isEqualTo(70);
            assertThat(m.maxConversations()).isEqualTo(5);
            assertThat(m.specialties()).containsExactly("boleto", "pix");
        });
        SlaPolicy policy = tenant.scoped(() -> sla.list(department.id())).get(0);
        assertThat(policy.firstResponseSeconds()).isEqualTo(600);
        assertThat(policy.resolutionSeconds()).isEqualTo(8 * 3600);
        assertThat(policy.redistributeOnBreach()).isTrue();

        // a negative weight is refused with a message on the page, nothing half-saved
        var refused = admin.post(base + "/members/" + members.get(0).id(), "_csrf=" + csrf + "&weight=-3&maxConversations=5");
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(follow(admin, refused).body()).contains("Those values cannot be saved");
        assertThat(tenant.scoped(() -> departments.members(department.id())).get(0).weight()).isEqualTo(70);

        // a second department with the same name is a conflict, shown as such
        assertThat(follow(admin, admin.post("/admin/departments", "_csrf=" + csrf + "&name=Financeiro&method=round_robin")).body())
                .contains("already exists");
    }

    @Test
    void anAdminSetsBusinessHoursSlaTargetsPerPriorityAndRoutesAChannelAccountInPortugueseAndEnglish() throws Exception {
        var tenant = tenants.create("Hours Admin Co");
        java.util.UUID account = channels.twilioAccount(tenant, null);
        SignedInSession admin = new SignedInSession(api.baseUrl(), tenant.admin().email());
        String csrf = SignedInSession.csrf(admin.get("/admin/departments").body());
        follow(admin, admin.post("/admin/departments", "_csrf=" + csrf + "&name=Suporte&method=round_robin"));
        Department department = tenant.scoped(() -> departments.list()).get(0);
        String base = "/admin/departments/" + department.id();

        var pt = admin.get(base, "Accept-Language", "pt-BR").body();
        assertThat(pt).contains("Horário de atendimento").contains("sempre aberto").contains("Segunda-feira")
                .contains("Todas as prioridades").contains("Urgente").contains("Canais encaminhados para cá").contains("WhatsApp Twilio")
                .contains("agentes de IA e pessoas no mesmo grupo").doesNotContain("??");
        var en = admin.get(base, "Accept-Language", "en").body();
        assertThat(en).contains("Business hours").contains("always open").contains("Every priority").contains("Channels routed here")
                .doesNotContain("??");

        // weekdays 09:00-18:00 with a lunch break on Monday, Christmas off
        String hours = "_csrf=" + csrf + "&timezone=America/Sao_Paulo&day-monday=09:00-12:00,+13:00-18:00&day-tuesday=09:00-18:00"
                + "&day-wednesday=09:00-18:00&day-thursday=09:00-18:00&day-friday=09:00-18:00&day-saturday=&day-sunday=&holidays=2026-12-25";
        assertThat(follow(admin, admin.post(base + "/hours", hours)).body()).contains("Saved.").contains("value=\"09:00-12:00, 13:00-18:00\"")
                .contains("value=\"2026-12-25\"");
        var saved = tenant.scoped(() -> departments.get(department.id())).businessHours();
        assertThat(saved.timezone()).isEqualTo("America/Sao_Paulo");
        assertThat(saved.weekly().get("monday")).hasSize(2);
        assertThat(saved.weekly().get("saturday")).isEmpty();
        assertThat(saved.holidays()).containsExactly(java.time.LocalDate.parse("2026-12-25"));
        assertThat(follow(admin, admin.post(base + "/hours", "_csrf=" + csrf + "&timezone=UTC&day-monday=18:00-09:00")).body())
                .contains("Those values cannot be saved");
        boolean openNow = saved.openAt(java.time.Instant.now());
        assertThat(admin.get("/admin/departments", "Accept-Language", "pt-BR").body()).contains(openNow ? "Aberto agora" : "Fechado agora");

        // urgent conversations get their own targets; the others keep the general ones
        assertThat(follow(admin, admin.post(base + "/sla", "_csrf=" + csrf + "&priority=urgent&firstResponseMinutes=2&resolutionHours=4"))
                .body()).contains("Saved.");
        List<SlaPolicy> policies = tenant.scoped(() -> sla.list(department.id()));
        assertThat(policies).singleElement().satisfies(p -> {
            assertThat(p.priority()).isEqualTo("urgent");
            assertThat(p.firstResponseSeconds()).isEqualTo(120);
            assertThat(p.resolutionSeconds()).isEqualTo(4 * 3600);
        });
        assertThat(follow(admin, admin.post(base + "/sla/" + policies.get(0).id() + "/remove", "_csrf=" + csrf)).statusCode()).isEqualTo(200);
        assertThat(tenant.scoped(() -> sla.list(department.id()))).isEmpty();

        // the channel account's new conversations come here, AI agents and people in one pool
        assertThat(follow(admin, admin.post(base + "/channels", "_csrf=" + csrf + "&channelAccountId=" + account
                + "&autoAssign=true&assignToAiAgent=true")).body()).contains("Saved.");
        var rule = tenant.scoped(() -> channelRules.find(account)).orElseThrow();
        assertThat(rule.departmentId()).isEqualTo(department.id());
        assertThat(rule.autoAssign()).isTrue();
        assertThat(rule.assignToAiAgent()).isTrue();
        assertThat(follow(admin, admin.post(base + "/channels/" + account + "/remove", "_csrf=" + csrf)).body())
                .contains("No channel account routes here.");
        assertThat(tenant.scoped(() -> channelRules.find(account))).isEmpty();
    }

    /** Follows a redirect as a browser does (in English), which also shows and consumes its flash message. */
    private static java.net.http.HttpResponse<String> follow(SignedInSession session, java.net.http.HttpResponse<String> redirect)
            throws Exception {
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        return session.get(location.replaceFirst("^https?://[^/]+", ""), "Accept-Language", "en");
    }

    @Test
    void anAgentTogglesTheirAvailabilityInTheHeaderAndCannotOpenTheDepartmentsPage() throws Exception {
        var tenant = tenants.create("Availability Co");
        SignedInSession agent = new SignedInSession(api.baseUrl(), tenant.agent().email());
        var inbox = agent.get("/inbox", "Accept-Language", "en");
        assertThat(inbox.body()).contains("id=\"presence-status\"").contains("Away");
        String csrf = SignedInSession.csrf(inbox.body());

        var toggled = agent.http().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + "/presence"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("HX-Request", "true")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&presence=away")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(toggled.statusCode()).isEqualTo(200);
        assertThat(toggled.body()).contains("data-presence=\"away\"");
        assertThat(tenant.scoped(() -> presence.find(tenant.agent().id())).status()).isEqualTo(Presence.Status.AWAY);
        assertThat(agent.get("/admin/departments").statusCode()).isEqualTo(403);
    }
}

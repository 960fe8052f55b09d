package io.switchboard.demo;

import io.switchboard.channel.ChannelAccounts;
import io.switchboard.channel.ChannelType;
import io.switchboard.channel.WebhookUrls;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Organizations;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** {@code /demo}: a page with the web chat widget of the demo workspace (or of {@code ?account=}). */
@Controller
class DemoPage {

    private final Organizations organizations;
    private final ChannelAccounts accounts;
    private final WebhookUrls urls;

    DemoPage(Organizations organizations, ChannelAccounts accounts, WebhookUrls urls) {
        this.organizations = organizations;
        this.accounts = accounts;
        this.urls = urls;
    }

    @GetMapping("/demo")
    String demo(@RequestParam(required = false) UUID account, Model model, HttpServletRequest request) {
        UUID chosen = account != null ? account : organizations.findBySlug(DemoWorkspace.SLUG)
                .flatMap(org -> TenantScope.call(org.id(), () -> accounts.list().stream()
                        .filter(a -> a.type() == ChannelType.WEBCHAT && a.enabled()).findFirst()))
                .map(a -> a.id()).orElse(null);
        model.addAttribute("account", chosen);
        model.addAttribute("base", urls.base(request));
        return "demo";
    }
}

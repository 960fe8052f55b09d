package io.switchboard.identity;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The sign-in form's check. An e-mail is unique per organization, so one address may have accounts in several: the
 * password is checked against each, and the accounts it opens are the candidates — one signs in at once, several
 * leave the choice to the person ({@link SeveralOrganizations}, then {@link OrganizationChoice}). Every attempt costs
 * at least {@link #MINIMUM_CHECKS} hash checks (spares for missing accounts), so the answer's timing does not tell
 * whether the address has no account, one or two: an ADMIN who gave an address an account in their own organization
 * cannot time sign-ins to learn whether it has one elsewhere too.
 */
@Component
class EmailPasswordSignIn implements AuthenticationProvider {

    static final int MINIMUM_CHECKS = 2;

    private final Users users;
    private final PasswordEncoder passwords;
    private final String unknownAccountHash;

    EmailPasswordSignIn(Users users, PasswordEncoder passwords) {
        this.users = users;
        this.passwords = passwords;
        this.unknownAccountHash = passwords.encode("no account has this password " + System.nanoTime());
    }

    /** The password opens accounts of this e-mail in several organizations: the person picks one. */
    static final class SeveralOrganizations extends AuthenticationException {
        private final transient List<Caller> accounts;

        SeveralOrganizations(List<Caller> accounts) {
            super("the e-mail and password open accounts in " + accounts.size() + " organizations");
            this.accounts = accounts;
        }

        List<Caller> accounts() {
            return accounts;
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String password = String.valueOf(authentication.getCredentials());
        List<Caller> candidates = users.signInCandidates(authentication.getName());
        List<Caller> opened = candidates.stream().filter(c -> passwords.matches(password, c.getPassword())).toList();
        for (int spare = candidates.size(); spare < MINIMUM_CHECKS; spare++) {
            passwords.matches(password, unknownAccountHash);
        }
        if (opened.isEmpty()) {
            throw new BadCredentialsException("Wrong e-mail or password");
        }
        List<Caller> usable = opened.stream().filter(Caller::isEnabled).toList();
        if (usable.isEmpty()) {
            throw new DisabledException("The account is deactivated or its organization suspended");
        }
        if (usable.size() > 1) {
            usable.forEach(Caller::eraseCredentials);
            throw new SeveralOrganizations(usable);
        }
        return signedIn(usable.get(0));
    }

    static Authentication signedIn(Caller caller) {
        caller.eraseCredentials();
        return UsernamePasswordAuthenticationToken.authenticated(caller, null, caller.getAuthorities());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}

package io.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Issue 17: an address's accounts in other organizations must not show in how long sign-in takes. The work is the
 * number of password hashes checked: the same for no account, one or two (the case an ADMIN who just gave the
 * address an account in their own organization could otherwise time).
 */
class SignInTimingTest {

    /** Counts hash checks; a password "matches" a hash that is the password itself. */
    static final class CountingEncoder implements PasswordEncoder {
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public String encode(CharSequence raw) {
            return "spare:" + raw;
        }

        @Override
        public boolean matches(CharSequence raw, String hash) {
            checks.incrementAndGet();
            return hash.equals(raw.toString());
        }
    }

    @Test
    void noAccountOneOrTwoCostTheSameHashChecksWhateverThePassword() {
        for (String password : List.of("right password", "wrong password")) {
            assertThat(checksFor(0, password)).isEqualTo(2);
            assertThat(checksFor(1, password)).isEqualTo(2);
            assertThat(checksFor(2, password)).isEqualTo(2);
        }
        // past that, one more per account: only someone holding several accounts of the address sees it
        assertThat(checksFor(3, "wrong password")).isEqualTo(3);
    }

    private static int checksFor(int accounts, String password) {
        CountingEncoder encoder = new CountingEncoder();
        List<Caller> candidates = IntStream.range(0, accounts).mapToObj(i -> new Caller(UUID.randomUUID(), UUID.randomUUID(),
                "ana@example.com", "Ana", Role.AGENT, Caller.Kind.SESSION, true, false, 0, "right password")).toList();
        Users users = new Users(null, encoder) {
            @Override
            List<Caller> signInCandidates(String email) {
                return candidates;
            }
        };
        EmailPasswordSignIn signIn = new EmailPasswordSignIn(users, encoder);
        encoder.checks.set(0);
        var attempt = UsernamePasswordAuthenticationToken.unauthenticated("ana@example.com", password);
        try {
            signIn.authenticate(attempt);
        } catch (RuntimeException refusedOrSeveral) {
            if ("wrong password".equals(password) || accounts == 0) {
                assertThat(refusedOrSeveral).isInstanceOf(BadCredentialsException.class);
            }
        }
        return encoder.checks.get();
    }
}

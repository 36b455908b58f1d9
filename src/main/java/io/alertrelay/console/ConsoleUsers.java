package io.alertrelay.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * Who may log in to the console: {@code admin} with the admin token (when one is set), and the users
 * of relay.console.users with their password hashes. Nobody when neither is set: the console is
 * closed, as the admin API is.
 */
final class ConsoleUsers {

    /** The admin token's user. */
    static final String ADMIN = "admin";
    /** A hash in Spring Security's form, {@code {bcrypt}$2y$10$...}: a plain password is refused at start. */
    private static final Pattern HASH = Pattern.compile("\\{(bcrypt|pbkdf2|scrypt|argon2)}.+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** The token is held hashed only for a comparison in constant time (bcrypt's): the lowest cost does that. */
    private static final BCryptPasswordEncoder TOKEN_HASH = new BCryptPasswordEncoder(4);

    private ConsoleUsers() {
    }

    /** @throws IllegalStateException naming the user (never the value) whose hash is not in a known form */
    static InMemoryUserDetailsManager of(String adminToken, Map<String, String> users) {
        List<UserDetails> all = new ArrayList<>();
        if (adminToken != null && !adminToken.isEmpty()) {
            all.add(User.withUsername(ADMIN).password("{bcrypt}" + TOKEN_HASH.encode(adminToken)).roles("OPERATOR").build());
        }
        users.forEach((name, hash) -> {
            if (!NAME.matcher(name).matches() || (ADMIN.equals(name) && !all.isEmpty())) {
                throw new IllegalStateException("relay.console.users: the user name \"" + name
                        + "\" is not allowed (letters, digits, . _ @ -; \"admin\" is the admin token's user)");
            }
            if (hash == null || !HASH.matcher(hash).matches()) {
                throw new IllegalStateException("relay.console.users." + name + ": expected a password hash such as "
                        + "{bcrypt}$2y$10$... (htpasswd -nbBC 10 \"\" 'password' | cut -d: -f2), not a plain password");
            }
            all.add(User.withUsername(name).password(hash).roles("OPERATOR").build());
        });
        return new InMemoryUserDetailsManager(all);
    }
}

package dev.captioner.security;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The one admin user. Its password is hashed on a thread of its own: PBKDF2's 310,000 rounds took 0.3-0.7 s of
 * a start on the main thread, where the first sign-in, which waits for the hash, comes seconds later.
 */
final class AdminAccount implements UserDetailsService {

    private final String user;
    private final CompletableFuture<UserDetails> details;

    AdminAccount(String user, String password, String role, PasswordEncoder hash) {
        this.user = user;
        this.details = CompletableFuture.supplyAsync(() -> User.withUsername(user).password(hash.encode(password))
                .roles(role).build(), runnable -> {
                    Thread thread = new Thread(runnable, "admin-password-hash");
                    thread.setDaemon(true);
                    thread.start();
                });
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        if (!user.equals(username)) {
            throw new UsernameNotFoundException("no such user");
        }
        try {
            // a copy, as InMemoryUserDetailsManager hands out: the caller's erasing of credentials stays its own
            return User.withUserDetails(details.get()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the admin password was hashed", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the admin password could not be hashed", e.getCause());
        }
    }
}

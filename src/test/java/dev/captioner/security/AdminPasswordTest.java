package dev.captioner.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.captioner.config.CaptionerProperties;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** The admin password is whatever the operator chose: bcrypt's 72-byte limit must not stop the service. */
class AdminPasswordTest {

    /** How Spring Security checks the stored password when no encoder bean is declared. */
    private final PasswordEncoder checker = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    void aPasswordOf200BytesIsAcceptedAndChecked() {
        String password = "é".repeat(60) + "x".repeat(80);
        assertThat(password.getBytes(StandardCharsets.UTF_8)).hasSize(200);

        UserDetails admin = adminWith(password);

        assertThat(checker.matches(password, admin.getPassword())).isTrue();
        // every byte counts: bcrypt would ignore whatever follows its 72nd byte
        assertThat(checker.matches(password.substring(0, password.length() - 1) + "y", admin.getPassword())).isFalse();
        assertThat(checker.matches(password.substring(0, 60), admin.getPassword())).isFalse();
    }

    @Test
    void aShortPasswordStillWorks() {
        UserDetails admin = adminWith("s3cret");
        assertThat(checker.matches("s3cret", admin.getPassword())).isTrue();
        assertThat(checker.matches("s3cre", admin.getPassword())).isFalse();
    }

    @Test
    void onlyTheAdminUserIsKnownAndEachCallGetsItsOwnCopy() {
        UserDetailsService users = adminUsers("s3cret");
        UserDetails first = users.loadUserByUsername("admin");
        assertThat(first.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
        // Spring Security erases a signed-in user's credentials: the next sign-in must still find the hash
        ((org.springframework.security.core.CredentialsContainer) first).eraseCredentials();
        assertThat(checker.matches("s3cret", users.loadUserByUsername("admin").getPassword())).isTrue();
        assertThatThrownBy(() -> users.loadUserByUsername("root")).isInstanceOf(UsernameNotFoundException.class);
    }

    private static UserDetails adminWith(String password) {
        return adminUsers(password).loadUserByUsername("admin");
    }

    private static UserDetailsService adminUsers(String password) {
        CaptionerProperties defaults = CaptionerProperties.defaults(Path.of("models"));
        CaptionerProperties properties = new CaptionerProperties(defaults.modelsDir(), defaults.dataDir(),
                defaults.encoderWeights(), defaults.encoderWeightsFile(), defaults.maxImageSize(), defaults.maxPixels(),
                defaults.generation(), defaults.training(), new CaptionerProperties.Admin("admin", password),
                defaults.batching(), defaults.weights(), defaults.uploads(), defaults.memory(),
                defaults.models(), defaults.metrics());
        return new SecurityConfiguration().adminUsers(properties);
    }
}

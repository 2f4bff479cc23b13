package org.touchpointhub.admin;

import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic on {@code /admin/**} only, with the credentials from {@code HUB_ADMIN_USER} /
 * {@code HUB_ADMIN_PASSWORD}, else user {@code admin} with a random password printed once at start-up (never a
 * fixed default password). Webhooks and health are outside this chain: senders authenticate by signature, and no
 * security filter touches a webhook body before it is verified.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // commands such as evaluate run without a web server, so without HttpSecurity
class AdminSecurity {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurity.class);

    @Bean
    SecurityFilterChain adminChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/admin/**")
                .authorizeHttpRequests(a -> a.anyRequest().hasRole("ADMIN"))
                .httpBasic(Customizer.withDefaults())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    @Bean
    UserDetailsService adminUsers(@Value("${HUB_ADMIN_USER:admin}") String user,
            @Value("${HUB_ADMIN_PASSWORD:}") String password) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String effective = password;
        if (effective.isBlank()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            effective = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("Admin API: user '{}', generated password '{}' (set HUB_ADMIN_USER / HUB_ADMIN_PASSWORD to choose)",
                    user, effective);
        }
        return new InMemoryUserDetailsManager(User.withUsername(user).password(encoder.encode(effective)).roles("ADMIN").build());
    }
}

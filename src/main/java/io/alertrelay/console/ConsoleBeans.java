package io.alertrelay.console;

import io.alertrelay.RelayProperties;
import io.alertrelay.cluster.ClusterStatus;
import io.alertrelay.delivery.DeliveryScheduler;
import io.alertrelay.delivery.FloodGear;
import io.alertrelay.delivery.RateBudgets;
import io.alertrelay.delivery.ReceiverActivity;
import io.alertrelay.heartbeat.HeartbeatMonitor;
import io.alertrelay.notify.Channels;
import io.alertrelay.probe.ProbeRunner;
import io.alertrelay.reload.ConfigReloader;
import io.alertrelay.reload.RoutesReloader;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.History;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreHealth;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The console's security, language and pages. Spring Security guards {@code /ui/*} only: form login
 * ({@code admin} with relay.admin.token, or relay.console.users), a session cookie (HttpOnly,
 * SameSite=Strict, Secure over TLS: application.properties), CSRF on every change, and a content
 * security policy that lets no inline script run (an alert value that escaped its escaping still
 * could not execute). Its filter is registered for {@code /ui/*} alone (Boot's registration for
 * every path is excluded in application.properties): the webhooks, the admin API and the actuator
 * keep their own guards and their JSON errors, and its firewall does not judge their paths.
 *
 * <p>A login session lives in the replica that made it (Tomcat's memory): in a cluster, the clients
 * stay with one replica (k8s/overlays/ha's Service: {@code sessionAffinity: ClientIP}).
 *
 * <p>The pages are {@code @Controller}s found by the component scan (as web.JsonErrorController is);
 * what they read is made here.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ConsoleBeans implements WebMvcConfigurer {

    static final String LOGIN = "/ui/login";
    /** Scripts from this origin only (htmx from its WebJar), none inline; styles from this origin only. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

    @Bean
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        return http.securityMatcher("/ui/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(LOGIN, "/ui/assets/**").permitAll()
                        // an action link's page: the signed link is the permission (console/ActionPage); CSRF still applies
                        .requestMatchers(io.alertrelay.action.ActionLinks.PATH + "*").permitAll()
                        .anyRequest().authenticated())
                .formLogin(login -> login.loginPage(LOGIN).loginProcessingUrl(LOGIN)
                        .defaultSuccessUrl("/ui/", true).failureUrl(LOGIN + "?error"))
                .logout(logout -> logout.logoutUrl("/ui/logout").logoutSuccessUrl(LOGIN + "?logout"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .frameOptions(frames -> frames.sameOrigin()))
                .build();
    }

    /** Only /ui/*: see the class comment. */
    @Bean
    DelegatingFilterProxyRegistrationBean consoleSecurityFilter() {
        DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean("springSecurityFilterChain");
        registration.setUrlPatterns(List.of("/ui/*"));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);   // after EdgeFilter (not ready: 503 for every path)
        return registration;
    }

    @Bean
    UserDetailsService consoleUsers(RelayProperties properties) {
        return ConsoleUsers.of(properties.getAdmin().getToken(), properties.getConsole().getUsers());
    }

    @Bean
    OverviewReport overviewReport(Router router, ReceiverActivity activity, FloodGear gear, DeliveryScheduler delivery,
                                  RateBudgets budgets, Channels channels, Inbox inbox, Outbox outbox, DeadLetters deadLetters,
                                  StoreHealth store, ConfigReloader configReloader, RoutesReloader routesReloader,
                                  HeartbeatMonitor heartbeats, ClusterStatus cluster, ProbeRunner probes, History history,
                                  Clock clock) {
        return new OverviewReport(router, activity, gear, delivery, budgets, channels, inbox, outbox, deadLetters, store,
                configReloader, routesReloader, heartbeats, cluster, probes, history, clock);
    }

    @Bean
    ConsoleFormat consoleFormat(RelayProperties properties) {
        return new ConsoleFormat(properties.getTimeZone());
    }

    /** Named for routes/pipeline.yaml's step that feeds it. */
    @Bean
    RecentGroups recentGroups() {
        return new RecentGroups();
    }

    @Bean
    MessagePreviews messagePreviews(Router router, Channels channels) {
        return new MessagePreviews(router, channels);
    }

    /** Chinese unless the browser's cookie says otherwise ({@code ?lang=en} sets it). */
    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("relay-lang");
        resolver.setDefaultLocale(Locale.SIMPLIFIED_CHINESE);
        resolver.setCookiePath("/ui");
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName("lang");
        change.setIgnoreInvalidLocale(true);    // ?lang=<anything>: the page in its language as it was, not an error
        registry.addInterceptor(change).addPathPatterns("/ui/**");
    }
}

package dev.captioner.security;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Tells {@link FailedLogins} how each HTTP Basic login went, by the client address Spring Security recorded in the
 * attempt's details.
 */
final class LoginOutcomeListener implements ApplicationListener<AbstractAuthenticationEvent> {

    private final FailedLogins failedLogins;

    LoginOutcomeListener(FailedLogins failedLogins) {
        this.failedLogins = failedLogins;
    }

    @Override
    public void onApplicationEvent(AbstractAuthenticationEvent event) {
        if (!(event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details)
                || details.getRemoteAddress() == null) {
            return;
        }
        if (event instanceof AuthenticationSuccessEvent) {
            failedLogins.succeeded(details.getRemoteAddress());
        } else if (event instanceof AuthenticationFailureBadCredentialsEvent) {
            failedLogins.failed(details.getRemoteAddress());
        }
    }
}

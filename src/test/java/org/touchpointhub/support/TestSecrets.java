package org.touchpointhub.support;

/** The connector secrets the end-to-end tests configure (as environment-style properties). */
public final class TestSecrets {
    public static final String TYPEFORM = "test-typeform-secret";
    public static final String WEBFORM = "test-webform-token";
    public static final String STRIPE = "whsec_test_stripe_secret";
    public static final String CALENDLY = "test-calendly-signing-key";
    public static final String CALCOM = "test-calcom-secret";
    public static final String PADDLE = "pdl_ntfset_test_secret";
    public static final String MAILGUN = "test-mailgun-signing-key";
    public static final String MAILCHIMP = "test-mailchimp-token";
    public static final String JOTFORM = "test-jotform-token";
    public static final String TWILIO = "test-twilio-auth-token";
    public static final String STANDARD_WEBHOOKS = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public static final String CHARGEBEE_USER = "chargebee";
    public static final String CHARGEBEE_PASSWORD = "test-chargebee-password";
    public static final String SEGMENT = "test-segment-write-key";
    /** The public key of SendGrid's signed two-event test vector (sendgrid-nodejs eventwebhook.spec.js). */
    public static final String SENDGRID_PUBLIC_KEY =
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q==";

    private TestSecrets() {
    }
}

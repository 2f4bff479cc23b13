package org.touchpointhub.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.store.StoredMessage;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.touchpointhub.support.TestMailServer;

/** {@code routes/lead-inbox.yaml}: lead notifications and inquiries read from an IMAP mailbox (GreenMail). */
class LeadInboxIntegrationTests extends SourcesTestSupport {

    private static final Session SESSION = Session.getInstance(new Properties());

    @Test // #5
    void multipartNotificationIsAFormSubmissionOfThePersonNamedInIt() throws Exception {
        // given a form service's notification: multipart/alternative with "Label: value" text and the same as HTML
        String messageId = "<" + UUID.randomUUID() + "@forms.example.net>";
        MimeMessage mail = message(messageId, "Website Forms <no-reply@forms.example.net>", "New lead: Contact us");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text("You have a new form submission.\r\n\r\nName: Grace Hopper\r\nEmail: "
                + "grace.hopper@navy.example.org\r\nPhone: +1 415 555 0133\r\nCompany: US Navy\r\nMessage: Please call "
                + "me about\r\nyour enterprise plan.\r\n", "plain"));
        alternative.addBodyPart(text("<html><body><p>You have a new form submission.</p><p><b>Name:</b> Grace Hopper<br>"
                + "<b>Email:</b> <a href=\"mailto:grace.hopper@navy.example.org\">grace.hopper@navy.example.org</a></p>"
                + "</body></html>", "html"));
        mail.setContent(alternative);

        // when it arrives in the lead mailbox
        deliver(mail);

        // then the person in the form has a form_submitted with the message, and the mail is marked seen
        long customer = awaitCustomer("email", "grace.hopper@navy.example.org");
        await().atMost(WAIT).until(() -> types(customer).size() == 1);
        assertThat(timeline(customer)).singleElement().satisfies(t -> {
            assertThat(t.get("type")).isEqualTo("form_submitted");
            assertThat(t.get("event_id")).isEqualTo(messageId);
            assertThat(t.get("summary")).isEqualTo("New lead: Contact us");
            assertThat((String) t.get("attributes")).contains("Please call me about your enterprise plan.");
        });
        assertThat(jdbc.queryForList("select attribute from observations where customer_id = ?", String.class, customer))
                .contains("full_name", "phone", "company");
        await().atMost(WAIT).until(() -> seen(messageId));
    }

    @Test // #5
    void htmlTableNotificationIsReadCellByCell() throws Exception {
        // given an HTML-only notification laying the fields out as a two-column table
        String messageId = "<" + UUID.randomUUID() + "@leads.example.com>";
        MimeMessage mail = message(messageId, "Lead Marketplace <leads@marketplace.example.com>", "New lead for you");
        mail.setContent("<html><body><h2>New lead</h2><table border=\"1\">"
                + "<tr><th>First Name</th><td>Katherine</td></tr>"
                + "<tr><th>Last Name</th><td>Johnson</td></tr>"
                + "<tr><td>E-mail</td><td>katherine.johnson@nasa.example.gov</td></tr>"
                + "<tr><td>Company&nbsp;name</td><td>NASA &amp; Friends</td></tr>"
                + "</table></body></html>", "text/html; charset=UTF-8");

        // when it arrives
        deliver(mail);

        // then the person in the table is a customer with a form_submitted and her name and company
        long customer = awaitCustomer("email", "katherine.johnson@nasa.example.gov");
        await().atMost(WAIT).until(() -> types(customer).size() == 1);
        assertThat(types(customer)).containsExactly("form_submitted");
        assertThat(jdbc.queryForList("select attribute || '=' || value from observations where customer_id = ?",
                String.class, customer)).contains("first_name=Katherine", "last_name=Johnson", "company=NASA & Friends");
    }

    @Test // #5
    void plainInquiryIsAnEmailReceivedFromItsSender() throws Exception {
        // given a plain email a prospect wrote to the shared address
        String messageId = "<" + UUID.randomUUID() + "@mail.example.pt>";
        MimeMessage mail = message(messageId, "Ana Sousa <ana.sousa@example.pt>", "Pricing question");
        mail.setText("Hello,\n\ndo you offer a discount for non-profits?\n\nBest regards,\nAna", "UTF-8");

        // when it arrives, and the same message is delivered a second time
        deliver(mail);
        deliver(mail);

        // then the sender has one email_received with the subject as summary
        long customer = awaitCustomer("email", "ana.sousa@example.pt");
        await().atMost(WAIT).until(() -> seenCount(messageId) == 2);
        awaitIdle();
        assertThat(timeline(customer)).singleElement().satisfies(t -> {
            assertThat(t.get("type")).isEqualTo("email_received");
            assertThat(t.get("summary")).isEqualTo("Pricing question");
        });
        assertThat(jdbc.queryForList("select attribute || '=' || value from observations where customer_id = ?",
                String.class, customer)).contains("full_name=Ana Sousa");
    }

    private static MimeMessage message(String messageId, String from, String subject) throws MessagingException {
        MimeMessage mail = new MimeMessage(SESSION) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        mail.setFrom(new InternetAddress(from));
        mail.setRecipients(jakarta.mail.Message.RecipientType.TO, TestMailServer.USER);
        mail.setSubject(subject, "UTF-8");
        mail.setSentDate(new Date());
        return mail;
    }

    private static MimeBodyPart text(String content, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(content, "UTF-8", subtype);
        return part;
    }

    private static void deliver(MimeMessage mail) throws Exception {
        mail.saveChanges();
        TestMailServer.get().getUserManager().getUserByEmail(TestMailServer.USER).deliver(mail);
    }

    private static List<StoredMessage> inbox() throws Exception {
        var user = TestMailServer.get().getUserManager().getUserByEmail(TestMailServer.USER);
        return TestMailServer.get().getManagers().getImapHostManager().getInbox(user).getMessages();
    }

    private static boolean seen(String messageId) throws Exception {
        return seenCount(messageId) > 0;
    }

    private static long seenCount(String messageId) throws Exception {
        long n = 0;
        for (StoredMessage m : inbox()) {
            if (messageId.equals(m.getMimeMessage().getMessageID()) && m.isSet(Flags.Flag.SEEN)) {
                n++;
            }
        }
        return n;
    }
}

package org.touchpointhub.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * The IMAP server of the end-to-end tests: one GreenMail on a loopback port chosen once per JVM and started before
 * the hub, so the shared hub's lead-inbox route always polls a live mailbox, whichever test class runs first.
 */
public final class TestMailServer {

    /** The lead mailbox's login. */
    public static final String USER = "leads@hub.test";
    /** Its password, given to the hub as HUB_LEAD_INBOX_PASSWORD. */
    public static final String PASSWORD = "test-lead-inbox-password";

    private static GreenMail server;

    private TestMailServer() {
    }

    /** The running server, started on first use. */
    public static synchronized GreenMail get() {
        if (server == null) {
            GreenMail mail = new GreenMail(new ServerSetup[] {
                    new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
                    new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP)});
            mail.start();
            mail.setUser(USER, USER, PASSWORD);
            server = mail;
        }
        return server;
    }

    /** The IMAP port. */
    public static int imapPort() {
        return get().getImap().getPort();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

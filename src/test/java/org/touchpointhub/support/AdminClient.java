package org.touchpointhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Calls the admin API with HTTP Basic, as an admin's script would. */
public final class AdminClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String auth;
    private final HttpClient http = HttpClient.newHttpClient();

    public AdminClient(String base, String user, String password) {
        this.base = base;
        this.auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** GET a path and parse the JSON answer (any status). */
    public JsonNode get(String path) {
        return JSON_of(send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).GET()));
    }

    /** POST to a path with an optional JSON body and parse the answer (any status). */
    public JsonNode post(String path, String jsonBody) {
        return JSON_of(send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .header("Content-Type", "application/json")
                .POST(jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody))));
    }

    /** DELETE a path and parse the answer (any status). */
    public JsonNode delete(String path) {
        return JSON_of(send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth).DELETE()));
    }

    /** Customers whose email is this (normalized by the hub). */
    public JsonNode customersByEmail(String email) {
        return get("/admin/customers?email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)).path("customers");
    }

    /** The raw response of a GET, for status checks. */
    public HttpResponse<String> raw(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode JSON_of(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }
}

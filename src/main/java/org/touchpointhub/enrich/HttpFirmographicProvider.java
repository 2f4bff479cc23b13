package org.touchpointhub.enrich;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Firmographics from an HTTP data provider: {@code GET <url with the domain>}, the answer's JSON read by JSONPaths.
 * 200 is an answer, 404 means "knows nothing", anything else (429, 5xx, other 4xx, a timeout, a body that is not
 * JSON or not an object) is {@link Unavailable}, so it is asked again later and never remembered as "nothing".
 *
 * <p>Every value from the wire is untrusted: text is cleaned ({@link Normalizer#text}) and cut, a country that is not
 * ISO 3166 or a head count that is not a number or band is dropped rather than failing the whole answer, and the
 * domain put into the URL has passed {@link Domains#host}, so it cannot change the URL's path or host.
 */
final class HttpFirmographicProvider implements FirmographicProvider {

    private static final int MAX_BODY = 1 << 20;
    private static final Configuration JSON = Configuration.defaultConfiguration()
            .addOptions(Option.SUPPRESS_EXCEPTIONS, Option.DEFAULT_PATH_LEAF_TO_NULL);

    private final HttpOptions options;
    private final HttpClient http;

    HttpFirmographicProvider(HttpOptions options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<Firmographics> lookup(String domain) {
        Optional<String> host = Domains.host(domain);
        if (host.isEmpty()) {
            return Optional.empty();
        }
        URI uri = URI.create(options.urlTemplate().replace("{domain}", URLEncoder.encode(host.get(), StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.timeout()).header("Accept", "application/json").GET();
        if (options.apiKey() != null && !options.apiKey().isBlank() && options.apiKeyHeader() != null
                && !options.apiKeyHeader().isBlank()) {
            String header = options.apiKeyHeader().trim();
            request.header(header, header.equalsIgnoreCase("Authorization") ? "Bearer " + options.apiKey() : options.apiKey());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new Unavailable("failed", "firmographics provider timed out after " + options.timeout(), e);
        } catch (IOException e) {
            throw new Unavailable("failed", "firmographics provider not reachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("failed", "interrupted", e);
        }
        int status = response.statusCode();
        if (status == 404) {
            return Optional.empty();
        }
        if (status != 200) {
            throw new Unavailable("failed", "firmographics provider answered HTTP " + status, null);
        }
        if (response.body().length > MAX_BODY) {
            throw new Unavailable("failed", "firmographics answer larger than " + MAX_BODY + " bytes", null);
        }
        return Optional.of(parse(new String(response.body(), StandardCharsets.UTF_8)));
    }

    private Firmographics parse(String body) {
        Object document;
        try {
            document = JSON.jsonProvider().parse(body);
        } catch (RuntimeException e) {
            throw new Unavailable("failed", "firmographics answer is not JSON", e);
        }
        if (!(document instanceof java.util.Map)) {
            throw new Unavailable("failed", "firmographics answer is not a JSON object", null);
        }
        DocumentContext json = JsonPath.using(JSON).parse(document);
        String industry = text(json, "industry");
        if (industry != null && industry.length() > 255) {
            industry = industry.substring(0, 255);
        }
        String employees = text(json, "employees");
        String country = text(json, "country");
        String parent = text(json, "parent_domain");
        return new Firmographics(industry, valid(() -> new Firmographics(null, employees, null, null, "http")) ? employees : null,
                valid(() -> new Firmographics(null, null, country, null, "http")) ? country : null,
                parent != null && Domains.host(parent).isPresent() ? parent : null, "http");
    }

    private String text(DocumentContext json, String field) {
        Object value = json.read(options.path(field));
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
        }
        if (value == null || value instanceof java.util.Map || value instanceof List) {
            return null;
        }
        String clean = Normalizer.text(String.valueOf(value));
        return clean.isEmpty() ? null : clean;
    }

    private static boolean valid(Runnable check) {
        try {
            check.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

package org.touchpointhub.admin;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.touchpointhub.identity.MergeLedger;
import org.touchpointhub.ingest.Problems;

/**
 * The possible-duplicate queue: {@code GET /admin/review} lists open pairs with both golden records and the
 * evidence; {@code POST /admin/review/{id}} with {@code {"decision":"accept"}} merges them, {@code "reject"} keeps
 * them apart for good.
 */
@RestController
class ReviewController {

    private final MergeLedger ledger;
    private final TransactionTemplate tx;

    ReviewController(MergeLedger ledger, TransactionTemplate tx) {
        this.ledger = ledger;
        this.tx = tx;
    }

    @GetMapping("/admin/review")
    ResponseEntity<?> open(@RequestParam(name = "limit", defaultValue = "50") int limit) {
        var items = tx.execute(status -> ledger.openReviews(Math.max(1, Math.min(limit, 500))));
        return ResponseEntity.ok(Map.of("reviews", items, "count", items.size()));
    }

    @PostMapping("/admin/review/{id}")
    ResponseEntity<?> decide(@PathVariable("id") long id, @RequestBody Map<String, Object> body) {
        Object decision = body.get("decision");
        if (!"accept".equals(decision) && !"reject".equals(decision)) {
            return Problems.of(HttpStatus.BAD_REQUEST, "bad-decision", "Bad decision",
                    "decision must be \"accept\" or \"reject\"");
        }
        MergeLedger.ReviewOutcome outcome = tx.execute(status -> ledger.decide(id, "accept".equals(decision)));
        if (outcome == MergeLedger.ReviewOutcome.NOT_OPEN) {
            return Problems.of(HttpStatus.NOT_FOUND, "unknown-review", "Unknown review",
                    "No open possible duplicate with id " + id);
        }
        return ResponseEntity.ok(Map.of("id", id, "outcome", outcome.name().toLowerCase()));
    }
}

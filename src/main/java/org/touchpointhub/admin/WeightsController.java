package org.touchpointhub.admin;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.touchpointhub.identity.MatchWeights;
import org.touchpointhub.ingest.Problems;

/**
 * The match weights in force: {@code GET /admin/identity/weights} shows each comparison's levels with m, u and
 * weight and where they came from; {@code POST /admin/identity/weights/estimate?sample=N} re-estimates them by EM
 * from the newest N touchpoints in the store and puts them in force on every hub; {@code DELETE
 * /admin/identity/weights/estimate} goes back to the defaults. Configuration overrides win throughout.
 */
@RestController
class WeightsController {

    static final int MAX_SAMPLE = 200_000;

    private final MatchWeights weights;

    WeightsController(MatchWeights weights) {
        this.weights = weights;
    }

    @GetMapping("/admin/identity/weights")
    ResponseEntity<?> inForce() {
        return ResponseEntity.ok(weights.describe());
    }

    @PostMapping("/admin/identity/weights/estimate")
    ResponseEntity<?> estimate(@RequestParam(name = "sample", defaultValue = "20000") int sample) {
        if (sample < 1 || sample > MAX_SAMPLE) {
            return Problems.of(HttpStatus.BAD_REQUEST, "bad-sample", "Bad sample size",
                    "sample must be between 1 and " + MAX_SAMPLE + " touchpoints");
        }
        try {
            return ResponseEntity.ok(weights.estimate(sample));
        } catch (MatchWeights.NotEnoughData e) {
            return Problems.of(HttpStatus.CONFLICT, "not-enough-data", "Not enough data", e.getMessage());
        }
    }

    @DeleteMapping("/admin/identity/weights/estimate")
    ResponseEntity<?> withdraw() {
        return ResponseEntity.ok(weights.withdraw());
    }
}

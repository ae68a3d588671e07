//! Ranking proposals for an ordered task: each reviewer scores each proposal against the
//! three selection criteria of seed 003; a proposal's score is the weighted mean over its
//! reviewers, kept as an exact fraction; equal scores share a rank (1, 1, 3).

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use crate::criteria::SelectionWeights;

/// One reviewer's scores of one proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: Uuid,
    pub reviewer: Uuid,
    pub national_problem: i64,
    pub commercialisation: i64,
    pub core_technology: i64,
}

/// A proposal and its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub proposal: Uuid,
    pub submitted_on: NaiveDate,
    pub reviews: Vec<Review>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewScore {
    pub review: Uuid,
    pub reviewer: Uuid,
    pub national_problem: i64,
    pub commercialisation: i64,
    pub core_technology: i64,
    /// The reviewer's weighted score, on the criteria's scale.
    pub weighted: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub proposal: Uuid,
    /// 1 for the best; equal scores share a rank. Proposals without reviews come last,
    /// unranked.
    pub rank: Option<usize>,
    /// The weighted mean as an exact fraction (on the criteria's scale) and as a number.
    pub score_numerator: i64,
    pub score_denominator: i64,
    pub score: Option<f64>,
    pub reviews: Vec<ReviewScore>,
}

fn weighted_sum(review: &Review, w: &SelectionWeights) -> i64 {
    review.national_problem * i64::from(w.national_problem)
        + review.commercialisation * i64::from(w.commercialisation)
        + review.core_technology * i64::from(w.core_technology)
}

/// Rank `candidates`: best first; ties keep the earlier submission first.
pub fn rank(candidates: &[Candidate], weights: &SelectionWeights) -> Vec<Ranked> {
    let total = i64::from(weights.total().max(1));
    let mut ranked: Vec<(NaiveDate, Ranked)> = candidates
        .iter()
        .map(|c| {
            let numerator: i64 = c.reviews.iter().map(|r| weighted_sum(r, weights)).sum();
            let denominator = total * c.reviews.len() as i64;
            let reviews = c
                .reviews
                .iter()
                .map(|r| ReviewScore {
                    review: r.id,
                    reviewer: r.reviewer,
                    national_problem: r.national_problem,
                    commercialisation: r.commercialisation,
                    core_technology: r.core_technology,
                    weighted: weighted_sum(r, weights) as f64 / total as f64,
                })
                .collect();
            let score = (denominator > 0).then(|| numerator as f64 / denominator as f64);
            (
                c.submitted_on,
                Ranked {
                    proposal: c.proposal,
                    rank: None,
                    score_numerator: numerator,
                    score_denominator: denominator,
                    score,
                    reviews,
                },
            )
        })
        .collect();
    // Higher fraction first (compared exactly by cross-multiplying), unreviewed last.
    ranked.sort_by(|(a_on, a), (b_on, b)| {
        let by_score = match (a.score_denominator, b.score_denominator) {
            (0, 0) => std::cmp::Ordering::Equal,
            (0, _) => std::cmp::Ordering::Greater,
            (_, 0) => std::cmp::Ordering::Less,
            (ad, bd) => (b.score_numerator * ad).cmp(&(a.score_numerator * bd)),
        };
        by_score.then(a_on.cmp(b_on)).then(a.proposal.cmp(&b.proposal))
    });
    let mut out: Vec<Ranked> = Vec::with_capacity(ranked.len());
    for (i, (_, mut r)) in ranked.into_iter().enumerate() {
        if r.score_denominator > 0 {
            let tied_with_previous = out
                .last()
                .filter(|p| p.score_denominator > 0)
                .is_some_and(|p| p.score_numerator * r.score_denominator == r.score_numerator * p.score_denominator);
            r.rank = if tied_with_previous { out.last().and_then(|p| p.rank) } else { Some(i + 1) };
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(n: u128, a: i64, b: i64, c: i64) -> Review {
        Review {
            id: Uuid::from_u128(n),
            reviewer: Uuid::from_u128(100 + n),
            national_problem: a,
            commercialisation: b,
            core_technology: c,
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap_or_default()
    }

    const WEIGHTS: SelectionWeights =
        SelectionWeights { national_problem: 40, commercialisation: 30, core_technology: 30 };

    #[test]
    fn ties_share_a_rank_and_the_next_rank_is_skipped() {
        let candidates = vec![
            // (8×40 + 6×30 + 7×30) / 100 = 7.1 and (6×40 + 8×30 + 7×30) / 100 = 6.9: mean 7.0.
            Candidate {
                proposal: Uuid::from_u128(1),
                submitted_on: day(3),
                reviews: vec![review(1, 8, 6, 7), review(2, 6, 8, 7)],
            },
            // 7.0 exactly from one reviewer: tied with the first.
            Candidate { proposal: Uuid::from_u128(2), submitted_on: day(1), reviews: vec![review(3, 7, 7, 7)] },
            Candidate { proposal: Uuid::from_u128(3), submitted_on: day(2), reviews: vec![review(4, 9, 9, 9)] },
            Candidate { proposal: Uuid::from_u128(4), submitted_on: day(2), reviews: vec![review(5, 5, 5, 5)] },
            Candidate { proposal: Uuid::from_u128(5), submitted_on: day(1), reviews: vec![] },
        ];
        let ranked = rank(&candidates, &WEIGHTS);
        let order: Vec<(u128, Option<usize>)> = ranked.iter().map(|r| (r.proposal.as_u128(), r.rank)).collect();
        // Proposal 2 was submitted before proposal 1, so it is listed first within the tie.
        assert_eq!(order, vec![(3, Some(1)), (2, Some(2)), (1, Some(2)), (4, Some(4)), (5, None)]);
        assert_eq!(ranked[1].score, Some(7.0));
        assert_eq!((ranked[2].score_numerator, ranked[2].score_denominator), (1400, 200));
        assert_eq!(ranked[2].reviews.iter().map(|r| r.weighted).collect::<Vec<_>>(), vec![7.1, 6.9]);
    }
}

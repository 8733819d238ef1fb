//! Rules 1510-1580: the UPN, former UPN and LA child ID formats.

use super::{Ctx, Hit};
use crate::cin::catalogue::CinYear;
use crate::cin::codes::{UPN_CHECK_LETTERS, is_upn_la_code};
use crate::cin::tables::TableName::*;
use rustc_hash::FxHashMap;

const UPN: &[&str] = &["UPN"];

/// Checks each present UPN with `fails`, given its characters.
fn upn_rule<'a>(ctx: &Ctx<'a>, fails: impl Fn(&[char]) -> bool) -> Vec<Hit<'a>> {
    let upn = ctx.t(ChildIdentifiers).col("UPN");
    ctx.rows_where(ChildIdentifiers, UPN, |r| {
        upn.str(r)
            .is_some_and(|u| fails(&u.chars().collect::<Vec<_>>()))
    })
}

/// The UPN's first character must be the check letter of the other twelve.
pub fn rule_1510<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    upn_rule(ctx, |u| check_letter(u).is_some_and(|c| c != u[0]))
}

/// The check letter of a 13-character UPN: characters 2-13 weighted 2 to 13, summed, modulo 23,
/// looked up in the check-letter table. A letter as character 13 counts as its place in that
/// table. `None` when the characters cannot be weighed (the format rules report those).
fn check_letter(upn: &[char]) -> Option<char> {
    if upn.len() != 13 || !upn[1..12].iter().all(char::is_ascii_digit) {
        return None;
    }
    let value = |c: char| {
        c.to_digit(10).or_else(|| {
            UPN_CHECK_LETTERS
                .iter()
                .position(|&l| l as char == c)
                .map(|i| i as u32)
        })
    };
    let mut sum = 0;
    for (i, &c) in upn.iter().enumerate().skip(1) {
        sum += value(c)? * (i as u32 + 1);
    }
    Some(UPN_CHECK_LETTERS[(sum % 23) as usize] as char)
}

/// No two children may have the same UPN.
pub fn rule_1520<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let upn = ctx.t(ChildIdentifiers).col("UPN");
    let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
    for r in ctx.t(ChildIdentifiers).rows() {
        if let Some(u) = upn.str(r) {
            *counts.entry(u).or_default() += 1;
        }
    }
    ctx.rows_where(ChildIdentifiers, UPN, |r| {
        upn.str(r).is_some_and(|u| counts[u] > 1)
    })
}

/// Characters 2-4 of the UPN must be a recognised LA code (942 and 943 from 2023/24).
pub fn rule_1530<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let from_2023_24 = ctx.year >= CinYear::Y2023_24;
    upn_rule(ctx, |u| {
        let code: String = u.iter().skip(1).take(3).collect();
        !is_upn_la_code(&code, from_2023_24)
    })
}

/// Characters 5-12 of the UPN must all be digits.
pub fn rule_1540<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    upn_rule(ctx, |u| {
        u.len() < 12 || !u[4..12].iter().all(char::is_ascii_digit)
    })
}

/// Character 13 of the UPN must be a digit or a capital letter other than I, O and S.
pub fn rule_1550<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    upn_rule(ctx, |u| {
        !u.get(12)
            .is_some_and(|&c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"IOS".contains(c)))
    })
}

/// A former UPN, where given, must have a UPN's format: a letter, eleven digits, and a digit or
/// letter.
pub fn rule_1560q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let former = ctx.t(ChildIdentifiers).col("FormerUPN");
    ctx.rows_where(ChildIdentifiers, &["FormerUPN"], |r| {
        former.str(r).is_some_and(|f| {
            let c: Vec<char> = f.chars().collect();
            !(c.len() == 13
                && c[0].is_ascii_alphabetic()
                && c[1..12].iter().all(char::is_ascii_digit)
                && c[12].is_ascii_alphanumeric())
        })
    })
}

/// The LA child ID must be at most 20 characters long.
pub fn rule_1570<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let id = ctx.t(ChildIdentifiers).col("LAchildID");
    ctx.rows_where(ChildIdentifiers, &["LAchildID"], |r| {
        id.str(r).is_some_and(|i| i.chars().count() > 20)
    })
}

/// The LA child ID must contain only letters and digits.
pub fn rule_1580<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let id = ctx.t(ChildIdentifiers).col("LAchildID");
    ctx.rows_where(ChildIdentifiers, &["LAchildID"], |r| {
        id.str(r)
            .is_some_and(|i| !i.chars().all(|c| c.is_ascii_alphanumeric()))
    })
}

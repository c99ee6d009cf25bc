//! Text flowing down A4 pages: lines and wrapped paragraphs from the top margin, a new page
//! when the next line would pass the bottom, and a footer on every page once the number of
//! pages is known. Letters and agreements both lay out through it.

use super::pdf::{wrap, Font, Page, PAGE_HEIGHT, PAGE_WIDTH};

/// Left and right margin, and the top of the text.
pub const MARGIN: f32 = 62.0;
/// Body text size.
pub const SIZE: f32 = 10.5;
/// Distance between body lines.
pub const LEADING: f32 = 14.5;

/// The pages written so far and the current line's baseline.
pub struct Flow {
    pages: Vec<Page>,
    /// The page being written.
    pub page: Page,
    /// Baseline of the next line, from the bottom of the page.
    pub y: f32,
    bottom: f32,
}

impl Flow {
    /// An empty flow whose text stops above `bottom` (room for the footer).
    pub fn new(bottom: f32) -> Flow {
        Flow {
            pages: Vec::new(),
            page: Page::new(),
            y: PAGE_HEIGHT - MARGIN,
            bottom,
        }
    }

    /// The width of a full line.
    pub fn measure() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN
    }

    /// Starts a new page unless `points` still fit above the bottom.
    pub fn room(&mut self, points: f32) {
        if self.y - points < self.bottom {
            self.break_page();
        }
    }

    /// Starts a new page.
    pub fn break_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.page));
        self.y = PAGE_HEIGHT - MARGIN;
    }

    /// Moves down.
    pub fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    /// One line at the left margin; the leading scales with the size.
    pub fn line(&mut self, font: Font, size: f32, text: &str) {
        let leading = LEADING * size / SIZE;
        self.room(leading);
        self.page.text(MARGIN, self.y, font, size, text);
        self.y -= leading;
    }

    /// A paragraph wrapped to the full measure at body size.
    pub fn paragraph(&mut self, font: Font, text: &str) {
        for line in wrap(text, font, SIZE, Flow::measure()) {
            self.line(font, SIZE, &line);
        }
    }

    /// The pages, each given its footer with its 1-based number and the page count.
    pub fn finish(mut self, footer: impl Fn(&mut Page, usize, usize)) -> Vec<Page> {
        self.pages.push(std::mem::take(&mut self.page));
        let count = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            footer(page, i + 1, count);
        }
        self.pages
    }
}

// The "Check yourself" quizzes (xtask/src/quiz.rs writes their HTML). The first pick is the
// answer: it is marked right or wrong, the right choice is marked, and the reason is shown.
"use strict";
document.querySelectorAll(".quiz").forEach((quiz) => {
    const why = quiz.querySelector(".quiz-why");
    const choices = quiz.querySelectorAll(".quiz-choice");
    choices.forEach((choice) => {
        choice.addEventListener("click", () => {
            const right = choice.hasAttribute("data-right");
            choices.forEach((other) => {
                other.disabled = true;
                if (other.hasAttribute("data-right")) {
                    other.classList.add("quiz-right");
                }
            });
            if (!right) {
                choice.classList.add("quiz-wrong");
            }
            choice.setAttribute("aria-pressed", "true");
            why.dataset.verdict = right ? "Right. " : "Not quite: the right answer is marked. ";
            why.hidden = false;
        });
    });
});

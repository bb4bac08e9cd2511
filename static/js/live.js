// Live lessons on the page: a student's page (rendered by /live/CODE) follows the teacher; any
// other page can "Go live" and become the teacher's.
import { StudentLive } from "./live-student.js";
import { TeacherLive } from "./live-teacher.js";

export function startLive(controller) {
  const app = document.querySelector("#app");
  if (app.dataset.liveRole === "student") return new StudentLive(controller, app);
  if (document.querySelector("[data-action=go-live]")) return new TeacherLive(controller);
  return null;
}

import { z } from "zod";

/** A user id as the user system names users (also the top-level `user_id` of a submit); matches query.completed's. */
export const userId = z.string().min(1).max(200);

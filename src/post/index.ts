/** Entry point of the bundled post step (dist/post/index.js); see post.ts. */
import { post } from './post';

void post();
